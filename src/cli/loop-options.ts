/**
 * The options every command that runs the loop takes (`run`, `issue`, `ci-fix`): one definition,
 * so their names, defaults and help never drift apart.
 */
import type { Command } from 'commander';
import { PROVIDER_NAMES } from './providers.ts';

/** Flags added by `addRunOptions`, as commander hands them to the action. */
export interface RunOptionFlags {
  repo: string; provider: string; model?: string; transcript?: string; baseUrl?: string; config?: string;
  maxIterations: string; budgetTokens?: string; budgetUsd?: string; dailyBudgetUsd?: string; runsDir?: string; mapTokens?: string;
  sandbox: string; testTimeout: string; validate: boolean; earlyTests: boolean; validationServer: boolean; stuckAfter: string;
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--repo <dir>', 'the git working copy (never modified: the run works in its own worktree)', '.')
    .option('--provider <name>', PROVIDER_NAMES.join(' | '), 'anthropic')
    .option('--model <id>', 'model id (default claude-sonnet-5-5)')
    .option('--transcript <file>', 'transcript to replay (with --provider replay)')
    .option('--base-url <url>', 'API base URL of the model provider')
    .option('--config <file>', 'config file (default patchloop.config.json or .patchloop.json in the current folder)')
    .option('--max-iterations <n>', 'edit → test passes before giving up', '6')
    .option('--stuck-after <n>', 'end the run as stuck when this many repairs in a row leave the same failures', '3')
    .option('--budget-tokens <n>', 'hard cap on tokens per run (input incl. cache + output); default 200000')
    .option('--budget-usd <usd>', 'hard cap in USD per run')
    .option('--daily-budget-usd <usd>', "refuse to start when today's spend (local ledger) reached this")
    .option('--map-tokens <n>', 'token budget of the ranked repo map in the cached prefix (default 4096, sized for a 200k-token window)')
    .option('--runs-dir <dir>', 'where run folders go (default <git-dir>/patchloop/runs)')
    .option('--sandbox <backend>', 'auto | bwrap | process', 'auto')
    .option('--test-timeout <ms>', 'wall-clock limit of one test run, ms', '120000')
    .option('--no-validate', 'skip the validation pipeline (tests only)')
    .option('--no-validation-server', "validate in this process only (default: through the repository's warm validation server, started on first use and gone after 10 min idle, so later runs on the same commit skip the cold start; off when CI is set or PATCHLOOP_VALIDATION_SERVER=0)")
    .option('--no-early-tests', 'validate and test only after the last edit, one after the other (default: validation runs while the model replies and the tests start with it; results are used only when they match what a plain run would report)');
}
