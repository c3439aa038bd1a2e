/**
 * Scoring of code-review tasks: the final message carries a fenced ```json array of findings
 * `{file, line, severity, message}`; a planted defect is found by a finding in the same file within
 * its line tolerance. Recall = found / planted; a finding that matches no defect is a false finding.
 */
import { z } from 'zod';
import type { Task } from './task-schema.ts';

export const ReviewFindingSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
});
export type ReviewFinding = z.infer<typeof ReviewFindingSchema>;

/** Default cap on false findings when the task sets none. */
export const DEFAULT_MAX_FALSE_FINDINGS = 2;

/** Extracts the review from a message. Returns an error text instead when there is none or it is malformed. */
export function parseReview(message: string): { findings: ReviewFinding[] } | { error: string } {
  const block = /```json\s*\n([\s\S]*?)```/.exec(message);
  if (!block) return { error: 'no ```json block with the review findings' };
  let raw: unknown;
  try {
    raw = JSON.parse(block[1]!);
  } catch (err) {
    return { error: `review JSON does not parse: ${(err as Error).message}` };
  }
  const parsed = z.array(ReviewFindingSchema).safeParse(raw);
  if (!parsed.success) return { error: `review JSON: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}` };
  return { findings: parsed.data };
}

export interface ReviewScore {
  resolved: boolean;
  found: number;
  planted: number;
  falseFindings: number;
  recall: number;
  /** Share of findings that hit a planted defect (1 when there are none). */
  precision: number;
  error?: string;
}

export function scoreReview(task: Task, message: string): ReviewScore {
  const planted = task.defects ?? [];
  const parsed = parseReview(message);
  if ('error' in parsed) return { resolved: false, found: 0, planted: planted.length, falseFindings: 0, recall: 0, precision: 0, error: parsed.error };
  const norm = (f: string) => f.replace(/^\.\//, '');
  const hits = (f: ReviewFinding, d: (typeof planted)[number]) => norm(f.file) === norm(d.file) && Math.abs(f.line - d.line) <= d.tolerance;
  const found = planted.filter((d) => parsed.findings.some((f) => hits(f, d))).length;
  const falseFindings = parsed.findings.filter((f) => !planted.some((d) => hits(f, d))).length;
  const cap = task.max_false_findings ?? DEFAULT_MAX_FALSE_FINDINGS;
  const total = parsed.findings.length;
  return {
    resolved: found === planted.length && falseFindings <= cap,
    found, planted: planted.length, falseFindings,
    recall: planted.length === 0 ? 1 : found / planted.length,
    precision: total === 0 ? 1 : (total - falseFindings) / total,
  };
}
