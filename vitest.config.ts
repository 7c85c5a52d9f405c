import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'chips/**/*.test.ts', 'compiler/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // worker threads run dist/: rebuild once when the runtime's JavaScript is stale
    globalSetup: ['test/runtime/global-setup.ts'],
  },
});
