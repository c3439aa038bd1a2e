/**
 * Validation started as soon as an edit step has changed files, while the model writes its next
 * reply. When that reply ends the edits (the files are byte for byte what was validated), the
 * validate step takes the report instead of validating again, and the tests (early-tests.ts) have
 * been running since the report came in. A hosted model's last reply takes seconds; validation and
 * tests fit into it instead of following it.
 *
 * The early run is a dry run: auto-fixes are off, so nothing is written while the model's reply is
 * in flight. Its report is used only when a real run would have said the same: no error and no type
 * finding (auto-fixes start from type findings), and a last reply not cut off at `max_tokens` (the
 * completeness check reports that). Otherwise the validate step validates as before. The pipeline
 * is not reentrant, so runs are chained: a real run waits for an early one still in flight.
 */
import type { ValidationReport } from '../validate/types.ts';
import type { ValidationRunner } from './actors.ts';

/** A report a real run would repeat word for word (see the module comment). */
export function reusableReport(r: ValidationReport): boolean {
  return r.autoFixes.length === 0 && !r.findings.some((f) => f.severity === 'error' || f.validator === 'types');
}

interface Pending {
  fingerprint: string;
  report: Promise<ValidationReport | undefined>;
  startedAt: number;
}

export class EarlyValidation {
  private chain: Promise<unknown> = Promise.resolve();
  private pending: Pending | undefined;

  constructor(
    private readonly validation: ValidationRunner,
    private readonly now: () => number,
  ) {}

  /**
   * Validates `files` (whose contents have `fingerprint`) after whatever run is in flight; calls
   * `onReusable` with the report when it is reusable and still the latest early run.
   */
  start(files: string[], fingerprint: string, onReusable: (report: ValidationReport) => void): void {
    if (this.pending?.fingerprint === fingerprint) return;
    const report = this.chain.then(() => this.validation.run(files, { autoFix: false })).then((r) => r, () => undefined);
    this.chain = report;
    const pending: Pending = { fingerprint, report, startedAt: this.now() };
    this.pending = pending;
    void report.then((r) => {
      if (r && this.pending === pending && reusableReport(r)) onReusable(r);
    });
  }

  /**
   * The early report for files with `fingerprint`, once it is in, with the ms since it was started;
   * undefined (after waiting for any run in flight) when there is none to reuse.
   */
  async take(fingerprint: string, lastStopReason: string | undefined): Promise<{ report: ValidationReport; ranMs: number } | undefined> {
    const p = this.pending;
    this.pending = undefined;
    const report = p?.fingerprint === fingerprint && lastStopReason !== 'max_tokens' ? await p.report : undefined;
    await this.idle();
    return report && reusableReport(report) ? { report, ranMs: this.now() - p!.startedAt } : undefined;
  }

  /** Resolves when no early run is in flight (before a real run, and before the pipeline is disposed). */
  async idle(): Promise<void> {
    await this.chain.catch(() => undefined);
  }
}
