/**
 * The sandbox: run commands (tests, setup) isolated, and pure checks in isolated-vm.
 *
 * Usage:
 *   const sandbox = await createSandbox({ backend: 'auto', warn: (l) => log.warn(l) });
 *   const result = await runTests(sandbox, { command: 'npx vitest run', cwd: worktree, timeoutMs: 120_000 });
 *   const checks = await runIsolatedChecks({ entry, checks, memoryLimitMb: 64, timeoutMs: 1000 });
 */
export { createSandbox, type CreateSandboxOptions } from './create.ts';
export { CommandSandbox, type LimitEnforcement } from './sandbox.ts';
export { runTests, type RunTestsOptions } from './run-tests.ts';
export { linkDependencies } from './dependencies.ts';
export { runIsolatedChecks, runIsolatedSnippet, type IsolateResult, type IsolateCheck, type SnippetResult } from './isolate.ts';
export { parseVitestJson, withVitestJsonReporter } from './vitest-report.ts';
export { buildBwrapArgs, type BwrapPolicy } from './bwrap-args.ts';
export { planCheckoutMounts, reduceGitConfig, type CheckoutMounts } from './checkout-mounts.ts';
export { buildOverlayLauncher, READ_ONLY_NOTE, type OverlayLayer } from './node-modules-layer.ts';
export type { OverlaySupport } from './command-mounts.ts';
export { classifyEnd, DEFAULT_LIMITS, type SandboxLimits } from './limits.ts';
export type * from './types.ts';
