/**
 * Process exit codes, documented in `--help` and the README.
 */
export const EXIT = {
  resolved: 0,
  notResolved: 1,
  usage: 2,
  budget: 3,
  environment: 4,
  interrupted: 130,
} as const;

/** Maps a run's final status to its exit code. */
export function exitCodeForStatus(status: string): number {
  switch (status) {
    case 'resolved':
      return EXIT.resolved;
    case 'budget_exhausted':
      return EXIT.budget;
    case 'environment':
      return EXIT.environment;
    case 'interrupted':
      return EXIT.interrupted;
    default:
      return EXIT.notResolved;
  }
}

export const EXIT_CODES_HELP = `
Exit codes:
  0    resolved
  1    not resolved (iterations used up, stuck on the same failures, or the run failed)
  2    usage or configuration error
  3    budget exhausted, or refused by the daily cap
  4    environment error (not a git repository, sandbox unavailable, dependencies not installed,
       or the test command failed twice the same way before any test ran)
  130  interrupted`;
