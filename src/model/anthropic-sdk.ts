/**
 * The Anthropic SDK, as patchloop imports it (`@anthropic-ai/sdk`). In dist/ the build replaces this
 * module with a re-export of one pre-bundled file, dist/vendor/anthropic-sdk.mjs (src/cli/build.mjs):
 * Node 20 loads the package's ≈ 320 ES modules (its own and @opentelemetry/api's) one by one, ≈ 170 ms
 * of every run's start-up CPU; the bundle loads in ≈ 35 ms (2 cores, 2026-12-03). Same code, one file.
 */
export * from '@anthropic-ai/sdk';
export { default } from '@anthropic-ai/sdk';
