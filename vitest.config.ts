import { defineConfig } from 'vitest/config';

// tasks/ holds failing-by-design task repositories: never collect their tests here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
