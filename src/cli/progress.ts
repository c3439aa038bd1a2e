/**
 * The live view of a run, drawn from its trace events: machine state, iteration k of n, tokens,
 * USD, elapsed time and the last tool call. On a TTY it redraws in place (log-update); otherwise
 * (pipes, `CI` set) it prints one plain line per state change. Output goes to stderr so stdout
 * stays for results.
 */
import type { createLogUpdate } from 'log-update';
import { Chalk } from 'chalk';
import type { TraceLine } from '../trace/trajectory.ts';

export interface ProgressOptions {
  /** Redraw in place (a TTY without `CI`) or print plain lines. */
  live: boolean;
  stream: NodeJS.WritableStream;
  /** Colour on (live TTY) or off. */
  color: boolean;
  now?: () => number;
}

interface ViewState {
  state: string;
  iteration: number;
  maxIterations: number;
  tokens: number;
  usd: number;
  lastTool: string;
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

export class ProgressView {
  private readonly v: ViewState = { state: 'starting', iteration: 0, maxIterations: 0, tokens: 0, usd: 0, lastTool: '' };
  private readonly started: number;
  private readonly now: () => number;
  private readonly c: InstanceType<typeof Chalk>;
  private update?: ReturnType<typeof createLogUpdate>;
  private finished = false;

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? Date.now;
    this.started = this.now();
    this.c = new Chalk({ level: o.color ? 1 : 0 });
    // log-update (≈ 45 ms of start-up CPU) loads only for the live view, beside the run's start-up;
    // frames before it is there are skipped (the next event redraws).
    if (o.live) {
      void import('log-update').then(({ createLogUpdate }) => {
        if (this.finished) return;
        this.update = createLogUpdate(o.stream, { showCursor: true });
        this.update(this.render());
      });
    }
  }

  /** Feeds one trace line. */
  onTrace = (e: TraceLine): void => {
    switch (e.type) {
      case 'run_start':
        this.v.maxIterations = e.maxIterations;
        break;
      case 'state':
        this.v.state = e.state;
        this.v.iteration = e.iteration;
        break;
      case 'model_call':
        this.v.tokens += e.usage.inputTokens + e.usage.cacheReadTokens + e.usage.cacheWriteTokens + e.usage.outputTokens;
        this.v.usd += e.usd;
        break;
      case 'tool_call':
        this.v.lastTool = `${e.name}${e.ok ? '' : ' (refused)'}: ${e.display}`;
        break;
      case 'test_run':
        this.v.lastTool = `tests ${e.passed ? 'passed' : 'failed'}: ${e.counts.passed} passed, ${e.counts.failed} failed`;
        break;
      default:
        return;
    }
    if (this.update) this.update(this.render());
    else if (e.type === 'state') this.o.stream.write(this.line() + '\n');
  };

  private line(): string {
    const { state, iteration, maxIterations, tokens, usd } = this.v;
    return `${state.padEnd(15)} iteration ${iteration}/${maxIterations}  tokens ${tokens}  $${usd.toFixed(4)}  ${clock(this.now() - this.started)}`;
  }

  render(): string {
    const c = this.c;
    const head = `${c.cyan('●')} ${c.bold(this.v.state.padEnd(15))} ${c.dim('iteration')} ${this.v.iteration}/${this.v.maxIterations}  ${c.dim('tokens')} ${this.v.tokens}  ${c.dim('$')}${this.v.usd.toFixed(4)}  ${c.dim(clock(this.now() - this.started))}`;
    return this.v.lastTool ? `${head}\n  ${c.dim('last:')} ${this.v.lastTool.slice(0, 120)}` : head;
  }

  /** Prints a message line without the next redraw erasing it. */
  note(line: string): void {
    if (!this.update) {
      this.o.stream.write(line + '\n');
      return;
    }
    this.update.clear();
    this.o.stream.write(line + '\n');
    this.update(this.render());
  }

  /** Leaves the last frame on screen. */
  done(): void {
    this.finished = true;
    if (this.update) this.update.done();
    else if (this.o.live) this.o.stream.write(this.render() + '\n');
  }
}

/** Colours a unified diff for the review at the end of a run. */
export function colorDiff(diff: string, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  return diff
    .split('\n')
    .map((l) => (l.startsWith('+++') || l.startsWith('---') ? c.bold(l) : l.startsWith('+') ? c.green(l) : l.startsWith('-') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l))
    .join('\n');
}
