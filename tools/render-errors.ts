/** Writes docs/errors.md from src/error-codes.ts. Usage: npm run docs:errors */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/io/atomic-write.js';
import { renderErrorsDoc } from '../src/error-codes-doc.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', ...(here.includes(join('dist', 'tools')) ? ['..'] : []));
const out = join(repo, 'docs', 'errors.md');
writeFileAtomic(out, renderErrorsDoc());
console.log(`wrote ${out}`);
