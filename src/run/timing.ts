/**
 * Where a run's wall time goes. Each step adds the milliseconds it waited to one part; `other` is
 * what is left of the total (snapshots, trace writes, the repo map, the repair prompt's git diff,
 * the commit), so the parts always sum to the total. All times come from the run's injected clock.
 */

/** The parts of a run's wall time, in ms. */
export interface TimeBreakdown {
  /** Process start → run start, when the caller knows the process start (the CLI does); else 0. */
  startupMs: number;
  /** Creating the worktree and linking (or installing, `--setup`) dependencies. */
  worktreeMs: number;
  /** Waiting for the model: messages calls and the count_tokens pre-flight. */
  modelWaitMs: number;
  /** Running the model's tool calls (reads, edits). */
  toolsMs: number;
  /** The validation pipeline, as awaited by the loop (background warm-up overlapping other steps is not counted). */
  validationMs: number;
  /**
   * The sandbox's own cost: per test run, the sandbox start-up (measured once per run by running
   * `true` in the same sandbox beside the first test run; only a wait for that probe past the tests'
   * end counts here) plus the harness work around the command (temp dir, reporter, report
   * parsing). An estimate: the start-up cost is taken as constant.
   */
  sandboxOverheadMs: number;
  /** The test command itself: the sandbox's measured duration minus the start-up estimate, plus the isolated-vm pre-check. */
  testCommandMs: number;
  /** The rest of the total. */
  otherMs: number;
  /** Sum of the parts. */
  totalMs: number;
}

export type TimePart = Exclude<keyof TimeBreakdown, 'otherMs' | 'totalMs'>;

/** Milliseconds this process's event loop has spent running code since it started (not waiting for I/O). */
export const eventLoopBusyMs = (): number => performance.eventLoopUtilization().active;

/**
 * Accumulates time per part. `now` is the run's clock (ms); `busyMs` the event loop's cumulative
 * busy time (ms), read around waits on other processes (`timeWait`).
 */
export class TimeLedger {
  private readonly parts: Record<TimePart, number> = {
    startupMs: 0, worktreeMs: 0, modelWaitMs: 0, toolsMs: 0, validationMs: 0, sandboxOverheadMs: 0, testCommandMs: 0,
  };

  constructor(readonly now: () => number, private readonly busyMs: () => number = eventLoopBusyMs) {}

  add(part: TimePart, ms: number): void {
    this.parts[part] += Math.max(0, ms);
  }

  /** Runs `fn` and adds its wall time to `part` (also when it throws). */
  async time<T>(part: TimePart, fn: () => Promise<T>): Promise<T> {
    const t0 = this.now();
    try {
      return await fn();
    } finally {
      this.add(part, this.now() - t0);
    }
  }

  /**
   * Runs `fn`, a wait on another process (the model's HTTP reply), and adds its wall time to `part`,
   * except that, when `busyPart()` names a part at the start, the time this process's event loop
   * was busy meanwhile goes to that part: work that ran synchronously in this process (e.g.
   * validation's warm-up building a TypeScript program) kept the reply unread, it was not the wait.
   * An approximation: the client's own request and response handling (a few ms) moves along with it.
   */
  async timeWait<T>(part: TimePart, fn: () => Promise<T>, busyPart: () => TimePart | undefined): Promise<T> {
    const to = busyPart();
    const t0 = this.now();
    const b0 = this.busyMs();
    try {
      return await fn();
    } finally {
      const wall = Math.max(0, this.now() - t0);
      const busy = to ? Math.min(wall, Math.max(0, this.busyMs() - b0)) : 0;
      this.add(part, wall - busy);
      if (to) this.add(to, busy);
    }
  }

  /** The breakdown of `totalMs` (rounded to whole ms); `other` is the remainder, never negative. */
  breakdown(totalMs: number): TimeBreakdown {
    const r = Object.fromEntries(Object.entries(this.parts).map(([k, v]) => [k, Math.round(v)])) as Record<TimePart, number>;
    const known = Object.values(r).reduce((a, b) => a + b, 0);
    const total = Math.max(Math.round(totalMs), known);
    return { ...r, otherMs: total - known, totalMs: total };
  }
}
