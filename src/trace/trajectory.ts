/**
 * The run's audit trail: `trajectory.jsonl`, one JSON event per line, appended as each step happens
 * so a killed run still leaves its trace (a written line survives the process; `DURABLE` events are
 * also fsynced, so the run's start, commit and end survive a machine crash too). Every line carries the format
 * version, a sequence number and a timestamp; `patchloop show` and `resume` read it back — as
 * untrusted input, validated line by line.
 */
import { appendFileSync, closeSync, fsyncSync, openSync, readFileSync, existsSync } from 'node:fs';
import type { ContentBlock, Usage } from '../model/types.ts';
import type { Finding } from '../validate/types.ts';
import type { TestCaseResult, CommandResult } from '../sandbox/types.ts';
import type { EnvironmentFailure } from '../machine/context.ts';
import type { TimeBreakdown } from '../run/timing.ts';

/** Trace format version; bump on any incompatible change to an event's shape. */
export const TRACE_FORMAT_VERSION = 1;

export type TraceEvent =
  | { type: 'run_start'; runId: string; task: string; repo: string; baseRef: string; branch: string; worktree: string; provider: string; model: string; sandbox: { backend: string; isolated: boolean }; budget: { maxTokens: number; maxUsd?: number }; maxIterations: number }
  | { type: 'state'; state: string; iteration: number }
  | { type: 'model_call'; step: number; phase: string; provider: string; model: string; request: { system: string; contextChars: number; messages: number; lastUserMessage: string }; response: { content: ContentBlock[]; stopReason: string }; usage: Usage; usd: number; ms: number; preflight?: 'local' | 'count_tokens' }
  | { type: 'model_event'; step: number; event: Record<string, unknown> }
  | { type: 'model_text'; step: number; text: string }
  | { type: 'tool_intent'; step: number; id: string; name: string; path: string; beforeSha: string }
  | { type: 'tool_call'; step: number; id: string; name: string; input: unknown; ok: boolean; display: string; llmContent: string; changedFiles?: string[]; diff?: string; ms: number }
  | { type: 'validation'; iteration: number; findings: Finding[]; ran: string[]; skipped: { validator: string; reason: string }[]; autoFixes: { file: string; fix: string; diff: string }[]; ms: number; /** Taken from an early validation: ms since it started (while the model replied). */ earlyMs?: number; /** The warm validation server ran it (src/validate/server). */ server?: string }
  | { type: 'test_run'; iteration: number; passed: boolean; command: Omit<CommandResult, 'output'> & { outputTail: string }; failures: TestCaseResult[]; counts: { passed: number; failed: number; skipped: number }; ms: number; environment?: EnvironmentFailure; /** Started while validation ran: ms it had run when the test step took it. */ earlyMs?: number }
  | { type: 'precheck'; iteration: number; ran: number; failures: TestCaseResult[]; ms: number }
  | { type: 'repair_prompt'; iteration: number; prompt: string }
  | { type: 'commit'; sha: string; branch: string }
  | { type: 'warning'; message: string }
  | { type: 'localization'; candidates: { file: string; score: number; symbols: { name: string; kind: string; line: number; endLine: number }[] }[]; degraded: boolean; parsedFiles: number; /** Of them, parsed by this run (the rest came from the repo-map facts cache). */ parsedNow?: number; contextChars: number; ms: number }
  | { type: 'localization_outcome'; edited: string[]; candidateRanks: (number | null)[] }
  | { type: 'compaction'; step: number; cut: number; replaced: number; tokensBefore: number; tokensAfter: number }
  | { type: 'resume'; fromState: string; step: number }
  | { type: 'interrupted'; state: string; hard: boolean }
  /** A publishing step after the run (src/github/publish-log.ts): push, pull request or issue comment; `key` names what it acted on, `number` is the pull request's number or the comment's id. */
  | { type: 'publish'; action: 'push' | 'pull_request' | 'comment'; key: string; ok: boolean; sha?: string; number?: number; url?: string; error?: string }
  | { type: 'run_end'; status: string; reason?: string; iterations: number; usage: Usage; usd: number; ms: number; timing?: TimeBreakdown; environment?: EnvironmentFailure };

export type TraceLine = TraceEvent & { v: number; seq: number; ts: string };

/**
 * Events flushed to disk (fsync) as they are written: what `resume` and `apply` rely on. The others
 * are in the page cache once written, which a killed process cannot lose; an fsync per line cost
 * 0.5–5 ms each, ~20 per run on the critical path (2026-12-03).
 */
const DURABLE: ReadonlySet<TraceEvent['type']> = new Set(['run_start', 'commit', 'interrupted', 'publish', 'run_end']);

/** Appends events to a trajectory file. `now` is injected so tests control timestamps. */
export class TrajectoryWriter {
  private seq: number;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly now: () => Date = () => new Date(),
    /** Called with each line after it is on disk (progress view, streaming to CI logs). */
    private readonly onWrite?: (line: TraceLine) => void,
  ) {
    this.seq = existsSync(path) ? readTrajectory(path).length : 0;
  }

  write(event: TraceEvent): TraceLine {
    const line: TraceLine = { v: TRACE_FORMAT_VERSION, seq: this.seq, ts: this.now().toISOString(), ...event };
    if (this.closed) return line; // a step cut short by a stop, finishing late: as if killed there (resume redoes it)
    this.seq++;
    const fd = openSync(this.path, 'a');
    try {
      appendFileSync(fd, JSON.stringify(line) + '\n');
      if (DURABLE.has(event.type)) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.onWrite?.(line);
    return line;
  }

  /**
   * Ends the session: later writes are dropped. A stopped run's step may still be finishing while a
   * resumed session appends to the same file; only the resumed session may write then.
   */
  close(): void {
    this.closed = true;
  }
}

/**
 * Reads a trajectory back. A torn last line (the process died mid-write) is dropped; any other bad
 * line, or a line of another format version, throws with its line number.
 * @throws Error naming the file, line and problem.
 */
export function readTrajectory(path: string): TraceLine[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: TraceLine[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      if (i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '')) {
        if (!raw.endsWith('}')) return; // torn final write
      }
      throw new Error(`${path}:${i + 1}: not JSON (${(err as Error).message})`);
    }
    const line = parsed as Partial<TraceLine>;
    if (typeof line !== 'object' || line === null || typeof line.type !== 'string') {
      throw new Error(`${path}:${i + 1}: not a trace event`);
    }
    if (line.v !== TRACE_FORMAT_VERSION) {
      throw new Error(`${path}:${i + 1}: trace format v${String(line.v)}, this patchloop reads v${TRACE_FORMAT_VERSION}`);
    }
    out.push(line as TraceLine);
  });
  return out;
}
