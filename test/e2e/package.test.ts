/**
 * The package as a user gets it: `npm pack` the built tree, install the tarball into an empty
 * folder (dependencies from the npm cache that `npm ci` filled), then run its CLI there and
 * type-check and run the README's API example against the installed package.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared.js';
import { ensureBuilt } from '../runtime/build.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = { encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], timeout: 240_000 };

/** The README's API example: the first ```ts block under "## API". */
function readmeApiExample(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const api = readme.slice(readme.indexOf('\n## API'));
  const m = /```ts\n([\s\S]*?)```/.exec(api);
  if (!m) throw new Error('README.md has no ```ts block under ## API');
  return m[1]!;
}

describe('the packed package', () => {
  let dir = '';
  let tarball = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'neuromesh-pack-'));
    // dist/ must be the build of this tree (npm test builds first; a lone run of this file rebuilds if stale)
    ensureBuilt(['src', 'chips', 'compiler', 'index.ts']);
    // --ignore-scripts skips the prepack rebuild
    const out = execFileSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { ...quiet, cwd: REPO });
    const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, info[0]!.filename);
    const files = info[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('dist/chips/spinnaker2/kernels.js');
    // the WebAssembly kernels are build output, shipped with the JavaScript
    expect(files).toContain('dist/wasm/spinnaker2-current-lif.wasm');
    expect(files.filter((f) => f.startsWith('test/') && !f.startsWith('test/fixtures/nir-paper/') && f !== 'test/fixtures/README.md')).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/test/') || /\.test\.|\.map$/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
    const app = join(dir, 'app');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { ...quiet, cwd: app });
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('npx neuromesh --help and inspect on a bundled fixture work in the installing folder', () => {
    const app = join(dir, 'app');
    const help = execFileSync('npx', ['--no-install', 'neuromesh', '--help'], { ...quiet, cwd: app });
    expect(help).toMatch(/Usage: neuromesh/);
    expect(help).toMatch(/inspect/);
    const model = join(app, 'node_modules', 'neuromesh', 'test', 'fixtures', 'nir-paper', 'cnn', 'cnn_sinabs.nir');
    const doc = JSON.parse(execFileSync('npx', ['--no-install', 'neuromesh', 'inspect', model, '--json'], { ...quiet, cwd: app })) as { schema: string; totals: { neurons: number } };
    expect(doc.schema).toMatch(/^neuromesh\/inspect@/);
    expect(doc.totals.neurons).toBe(8970);
  });

  it("the README's API example type-checks against the installed package and runs", () => {
    const app = join(dir, 'app');
    writeFileSync(join(app, 'example.ts'), readmeApiExample());
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false,
        types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')], outDir: 'out',
      },
      files: ['example.ts'],
    }));
    execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { ...quiet, cwd: app });
    const out = execFileSync(process.execPath, [join(app, 'out', 'example.js')], { ...quiet, cwd: app });
    expect(out).toMatch(/reference: \d+ spikes/);
    expect(out).toMatch(/chip: \d+ spikes, [\d.e+-]+ J/);
  });
});
