/**
 * `GET /metrics`: Prometheus text (prom-client) fed by the trace lines of the runs this process
 * executes, plus queue gauges read from the job store at scrape time. Names follow Prometheus
 * conventions (base units: seconds, USD as `_usd`, `_total` for counters).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TraceLine } from '../trace/trajectory.ts';
import type { RunSummary } from '../run/run-task.ts';

/** Queue figures read at scrape time (embedded store or BullMQ). */
export type QueueStatsSource = () => Promise<{ depth: number; oldestAgeMs: number; running: number }> | { depth: number; oldestAgeMs: number; running: number };

/** Metric names, listed in the README ("Run as a service"). */
export const METRIC_NAMES = [
  'patchloop_runs_total', 'patchloop_resolved_rate', 'patchloop_validation_findings_total', 'patchloop_provider_errors_total',
  'patchloop_provider_retries_total', 'patchloop_provider_fallbacks_total', 'patchloop_tokens_total', 'patchloop_usd_total',
  'patchloop_run_duration_seconds', 'patchloop_step_duration_seconds', 'patchloop_queue_depth', 'patchloop_queue_oldest_age_seconds',
  'patchloop_jobs_running', 'patchloop_breaker_open',
] as const;

/** Run and step durations span a replayed step (ms) to a long repair loop (tens of minutes). */
const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600];
const STEP_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120];

export class ServiceMetrics {
  readonly registry = new Registry();
  private ended = 0;
  private resolved = 0;
  private readonly runs = new Counter({ name: 'patchloop_runs_total', help: 'Runs ended, by final status', labelNames: ['status'], registers: [this.registry] });
  private readonly findings = new Counter({ name: 'patchloop_validation_findings_total', help: 'Validation findings, by validator and rule', labelNames: ['validator', 'rule'], registers: [this.registry] });
  private readonly providerErrors = new Counter({ name: 'patchloop_provider_errors_total', help: 'Provider errors seen by the model chain, by kind (error code)', labelNames: ['kind'], registers: [this.registry] });
  private readonly retries = new Counter({ name: 'patchloop_provider_retries_total', help: 'Retries of a model call, by provider', labelNames: ['provider'], registers: [this.registry] });
  private readonly fallbacks = new Counter({ name: 'patchloop_provider_fallbacks_total', help: 'Fallbacks to the next provider, by the provider left', labelNames: ['provider'], registers: [this.registry] });
  private readonly tokens = new Counter({ name: 'patchloop_tokens_total', help: 'Model tokens, by kind (input, output, cache_read, cache_write)', labelNames: ['kind'], registers: [this.registry] });
  private readonly usd = new Counter({ name: 'patchloop_usd_total', help: 'Model spend in USD', registers: [this.registry] });
  private readonly runSeconds = new Histogram({ name: 'patchloop_run_duration_seconds', help: 'Wall time of a run session, seconds', labelNames: ['status'], buckets: RUN_BUCKETS, registers: [this.registry] });
  private readonly stepSeconds = new Histogram({ name: 'patchloop_step_duration_seconds', help: 'Wall time of one step, seconds, by kind (model_call, tool_call, validation, test_run)', labelNames: ['kind'], buckets: STEP_BUCKETS, registers: [this.registry] });
  private readonly breaker = new Gauge({ name: 'patchloop_breaker_open', help: '1 while a provider circuit breaker is open', labelNames: ['provider'], registers: [this.registry] });

  constructor(queueStats: QueueStatsSource) {
    const self = this;
    new Gauge({ name: 'patchloop_resolved_rate', help: 'Resolved runs / ended runs since start (0..1)', registers: [this.registry], collect() { this.set(self.ended ? self.resolved / self.ended : 0); } });
    const read = async () => await queueStats();
    new Gauge({ name: 'patchloop_queue_depth', help: 'Jobs waiting in the queue', registers: [this.registry], async collect() { this.set((await read()).depth); } });
    new Gauge({ name: 'patchloop_queue_oldest_age_seconds', help: 'Age of the oldest queued job, seconds', registers: [this.registry], async collect() { this.set((await read()).oldestAgeMs / 1000); } });
    new Gauge({ name: 'patchloop_jobs_running', help: 'Jobs being run by a worker', registers: [this.registry], async collect() { this.set((await read()).running); } });
  }

  /** Feeds one trace line of a run this process executes. */
  observe(line: TraceLine): void {
    switch (line.type) {
      case 'model_call':
        this.tokens.inc({ kind: 'input' }, line.usage.inputTokens);
        this.tokens.inc({ kind: 'output' }, line.usage.outputTokens);
        this.tokens.inc({ kind: 'cache_read' }, line.usage.cacheReadTokens);
        this.tokens.inc({ kind: 'cache_write' }, line.usage.cacheWriteTokens);
        this.usd.inc(line.usd);
        this.stepSeconds.observe({ kind: 'model_call' }, line.ms / 1000);
        break;
      case 'tool_call':
      case 'validation':
      case 'test_run':
        this.stepSeconds.observe({ kind: line.type }, line.ms / 1000);
        if (line.type === 'validation') for (const f of line.findings) this.findings.inc({ validator: f.validator, rule: f.rule });
        break;
      case 'model_event': {
        const e = line.event as { type?: string; provider?: string; reason?: string };
        const provider = String(e.provider ?? 'unknown');
        const kind = /^[A-Za-z_]+/.exec(String(e.reason ?? ''))?.[0] ?? 'unknown';
        if (e.type === 'retry') (this.retries.inc({ provider }), this.providerErrors.inc({ kind }));
        if (e.type === 'fallback') (this.fallbacks.inc({ provider }), this.providerErrors.inc({ kind }));
        if (e.type === 'circuit-open') this.breaker.set({ provider }, 1);
        if (e.type === 'circuit-close') this.breaker.set({ provider }, 0);
        break;
      }
      case 'run_end':
        this.runs.inc({ status: line.status });
        this.runSeconds.observe({ status: line.status }, line.ms / 1000);
        if (line.status !== 'interrupted') (this.ended++, line.status === 'resolved' && this.resolved++);
        break;
      default:
    }
  }

  /**
   * Redis deployment: the server sees a run's outcome, not its trace lines (the worker runs it), so
   * runs, tokens, USD and run time come from the summary; step metrics stay with the workers.
   */
  observeOutcome(status: string, s?: RunSummary): void {
    if (!s) return this.observeError();
    this.runs.inc({ status });
    this.runSeconds.observe({ status }, s.wallMs / 1000);
    this.tokens.inc({ kind: 'input' }, s.usage.inputTokens);
    this.tokens.inc({ kind: 'output' }, s.usage.outputTokens);
    this.tokens.inc({ kind: 'cache_read' }, s.usage.cacheReadTokens);
    this.tokens.inc({ kind: 'cache_write' }, s.usage.cacheWriteTokens);
    this.usd.inc(s.usd);
    if (status !== 'interrupted') (this.ended++, status === 'resolved' && this.resolved++);
  }

  /** A job refused before its loop started (bad repository, daily cap) still counts as an ended run. */
  observeError(): void {
    this.runs.inc({ status: 'error' });
    this.ended++;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
