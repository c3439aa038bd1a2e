import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (`npm test`, the inner loop: ≤ 5 min on 2 cores) and `e2e` (`npm run
 * test:e2e`: the files that spawn the real CLI over whole task sets, or run real test suites in
 * the sandbox many times). A file goes to e2e when its measured duration (vitest --reporter=json)
 * would dominate the inner loop; `.ci/run` runs both. The global setup rebuilds a stale dist/ first.
 */
export const E2E_FILES = [
  'test/e2e/**/*.test.ts',
  // Whole CLI flows over real tasks, measured 2026-12-02 on 2 loaded cores (load 20–28): 30–104 s each,
  // the four slowest files outside test/e2e/.
  'test/github/ci-fix.test.ts',
  'test/github/issue-to-pr.test.ts',
  'test/eval/validate-tasks.test.ts',
  'test/eval/eval-command.test.ts',
  // Real servers (a detached validation server, Redis, Chromium, local git and GitHub servers),
  // measured 2026-12-03 on a 2-core Firecracker VM: 8–19 s each, the six slowest unit files; there
  // `npm test` took 5.2 min with them (vitest runs one file at a time on 2 cores).
  'test/validate/validation-server.test.ts',
  'test/service/repo-url.test.ts',
  'test/service/redis-queue.test.ts',
  'test/service/web-ui-browser.test.ts',
  'test/service/run-lifecycle.test.ts',
  'test/service/github-job.test.ts',
];

// tasks/ and test/fixtures/ hold failing-by-design repositories: never collect their tests here.
const exclude = ['test/fixtures/**', '**/node_modules/**'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A CLI run in a test must leave no warm validation server behind; validation-server.test.ts starts its own.
    env: { PATCHLOOP_VALIDATION_SERVER: '0' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...exclude, ...E2E_FILES] } },
      // Whole flows (two CLI runs in one test): 60 s is too tight on a shared 2-core machine.
      { extends: true, test: { name: 'e2e', include: E2E_FILES, exclude, testTimeout: 180_000 } },
    ],
  },
});
