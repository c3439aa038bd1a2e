import { defineConfig } from 'vitest/config';

// tasks/ and test/fixtures/ hold failing-by-design repositories: never collect their tests here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/fixtures/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
