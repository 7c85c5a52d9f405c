/** vitest globalSetup: build dist/ once before the tests when the runtime's JavaScript is stale. */
import { ensureBuilt } from './build.js';

export default function setup(): void {
  ensureBuilt();
}
