/**
 * Writes an eval run's output folder: results.jsonl, report.md, report.html. Results are appended to
 * results.jsonl as they land (a crashed run keeps what finished); the reports are written at the end.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InstanceResult } from './run-instance.ts';
import { renderHtml } from './report-html.ts';
import { renderMarkdown, type ReportMeta } from './report-md.ts';
import { toResultsJsonl } from './report-summary.ts';

export interface ReportPaths {
  dir: string;
  results: string;
  markdown: string;
  html: string;
}

/** Default output folder: `eval-out/<UTC timestamp>` (colons dropped so it is a valid path everywhere). */
export function defaultOutDir(now: Date, root = 'eval-out'): string {
  return path.join(root, now.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z'));
}

/** Creates `dir` and an empty results.jsonl. @returns the three paths. */
export function openReportDir(dir: string): ReportPaths {
  mkdirSync(dir, { recursive: true });
  const paths = { dir, results: path.join(dir, 'results.jsonl'), markdown: path.join(dir, 'report.md'), html: path.join(dir, 'report.html') };
  writeFileSync(paths.results, '');
  return paths;
}

/** Appends one result line to results.jsonl. */
export function appendResult(paths: ReportPaths, r: InstanceResult): void {
  appendFileSync(paths.results, toResultsJsonl([r]));
}

/** Rewrites results.jsonl in task order and writes report.md and report.html. */
export function writeReports(paths: ReportPaths, results: InstanceResult[], meta: ReportMeta): void {
  writeFileSync(paths.results, toResultsJsonl(results));
  writeFileSync(paths.markdown, renderMarkdown(results, meta));
  writeFileSync(paths.html, renderHtml(results, meta));
}
