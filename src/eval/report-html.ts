/**
 * report.html of an eval run: one self-contained page — inline CSS and inline SVG drawn here, no
 * script, no font, no image, no network (a Content-Security-Policy of `default-src 'none'` says so
 * to the browser too). Charts: resolved rate per category, cost per resolved task per category,
 * iterations histogram, token split. Pure; every string from results is escaped.
 */
import type { InstanceResult } from './run-instance.ts';
import { fmt, summarize, unresolvedWhy, DEFAULT_THRESHOLD } from './report-summary.ts';
import type { ReportMeta } from './report-md.ts';

/** Escapes text for HTML/SVG content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export interface Bar {
  label: string;
  /** Bar height is value / max; null draws no bar and writes `missing` under the axis. */
  value: number | null;
  /** Text written above the bar. */
  display: string;
}

export interface BarChartSpec {
  /** `data-chart` attribute; tests and readers find the chart by it. */
  id: string;
  title: string;
  bars: Bar[];
  /** Top of the scale; default the largest value. */
  max?: number;
  /** Text for a null bar. Default `n/a`. */
  missing?: string;
  /** Axis caption under the bars. */
  caption?: string;
  /** A dashed horizontal line at this value (e.g. the gate), in the bars' unit. */
  guide?: number;
}

const W = 480;
const H = 220;
const PAD = { top: 28, bottom: 44, left: 12, right: 12 };
/** A zero value still draws a sliver so the category is visibly there (its label says 0). */
const MIN_BAR_PX = 2;

/** A vertical bar chart as an `<svg>` string; each bar is a `<rect class="bar">` with its value in `data-value`. */
export function barChart(spec: BarChartSpec): string {
  const values = spec.bars.map((b) => b.value ?? 0);
  const max = spec.max ?? Math.max(0, ...values);
  const plotH = H - PAD.top - PAD.bottom;
  const slot = (W - PAD.left - PAD.right) / Math.max(1, spec.bars.length);
  const barW = Math.min(64, slot * 0.7);
  const parts: string[] = [];
  spec.bars.forEach((b, i) => {
    const cx = PAD.left + slot * i + slot / 2;
    const x = (cx - barW / 2).toFixed(1);
    const base = H - PAD.bottom;
    if (b.value !== null) {
      const h = Math.max(MIN_BAR_PX, max > 0 ? (b.value / max) * plotH : 0);
      parts.push(`<rect class="bar" x="${x}" y="${(base - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" data-label="${esc(b.label)}" data-value="${b.value}"><title>${esc(`${b.label}: ${b.display}`)}</title></rect>`);
      parts.push(`<text class="val" x="${cx.toFixed(1)}" y="${(base - h - 6).toFixed(1)}" text-anchor="middle">${esc(b.display)}</text>`);
    } else {
      parts.push(`<text class="val missing" x="${cx.toFixed(1)}" y="${(base - 6).toFixed(1)}" text-anchor="middle">${esc(spec.missing ?? 'n/a')}</text>`);
    }
    parts.push(`<text class="lbl" x="${cx.toFixed(1)}" y="${base + 16}" text-anchor="middle">${esc(b.label)}</text>`);
  });
  const axis = `<line class="axis" x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}"/>`;
  const guideY = spec.guide !== undefined && max > 0 ? H - PAD.bottom - (spec.guide / max) * plotH : null;
  const guide = guideY === null ? '' : `<line class="guide" x1="${PAD.left}" y1="${guideY.toFixed(1)}" x2="${W - PAD.right}" y2="${guideY.toFixed(1)}"/>`;
  const caption = spec.caption ? `<text class="cap" x="${W / 2}" y="${H - 8}" text-anchor="middle">${esc(spec.caption)}</text>` : '';
  return `<figure><figcaption>${esc(spec.title)}</figcaption><svg data-chart="${esc(spec.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(spec.title)}">${axis}${parts.join('')}${guide}${caption}</svg></figure>`;
}

/** Iteration counts → histogram bars, one bin per count from the smallest to the largest seen. */
export function iterationBins(results: InstanceResult[]): Bar[] {
  if (results.length === 0) return [];
  const its = results.map((r) => r.iterations);
  const lo = Math.min(...its), hi = Math.max(...its);
  const bars: Bar[] = [];
  for (let k = lo; k <= hi; k++) {
    const n = its.filter((x) => x === k).length;
    // Empty bins are gaps (no bar), but keep their label so the axis stays linear.
    bars.push({ label: String(k), value: n === 0 ? null : n, display: n === 0 ? '' : String(n) });
  }
  return bars;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555}.gate{font-size:16px;margin:10px 0}.pass{color:#176b2c}.fail{color:#b3261e}
.charts{display:flex;flex-wrap:wrap;gap:18px}figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}svg .bar{fill:#3b6fb6}svg .axis{stroke:#999}svg .guide{stroke:#b3261e;stroke-dasharray:4 3}
svg text{font-size:11px;fill:#333}svg .missing{fill:#999}svg .cap{fill:#666}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f4f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums}tr.no td:first-child{color:#b3261e}`;

function table(head: string[], rows: string[][], numericFrom: number): string {
  const tr = (cells: string[], cls = '') => `<tr${cls}>${cells.map((c, i) => `<td${i >= numericFrom ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`;
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => tr(r)).join('')}</tbody></table>`;
}

/** The whole report.html. */
export function renderHtml(results: InstanceResult[], meta: ReportMeta): string {
  const s = summarize(results);
  const threshold = meta.threshold ?? DEFAULT_THRESHOLD;
  const pass = s.overall.tasks > 0 && s.overall.resolvedRate >= threshold;
  const u = s.overall.usage;
  const charts = [
    barChart({ id: 'resolved-rate', title: 'Resolved rate (a) per category', max: 1, guide: threshold, caption: `dashed line: gate ${fmt.pct(threshold)}`,
      bars: s.categories.map((g) => ({ label: g.name, value: g.resolvedRate, display: `${fmt.pct(g.resolvedRate)} (${g.resolved}/${g.tasks})` })) }),
    barChart({ id: 'cost-per-resolved', title: 'Cost per resolved task (USD)', missing: 'none resolved',
      bars: s.categories.map((g) => ({ label: g.name, value: g.usdPerResolved, display: fmt.usd(g.usdPerResolved) })) }),
    barChart({ id: 'iterations', title: 'Iterations per task', caption: 'iterations → number of tasks', bars: iterationBins(results) }),
    barChart({ id: 'tokens', title: 'Token split (all tasks)', caption: 'tokens',
      bars: [['input', u.inputTokens], ['output', u.outputTokens], ['cache read', u.cacheReadTokens], ['cache write', u.cacheWriteTokens]]
        .map(([label, v]) => ({ label: label as string, value: v as number, display: fmt.int(v as number) })) }),
  ];
  const totals = table(
    ['group', 'tasks', 'resolved (a)', 'style (b)', 'explanation (c)', 'USD', 'USD / resolved', 'iterations', 'mutation score', 'review recall', 'review precision'],
    [...s.categories, s.overall].map((g) => [esc(g.name), String(g.tasks), `${g.resolved} (${fmt.pct(g.resolvedRate)})`, fmt.pct(g.styleRate), fmt.pct(g.explanationRate),
      fmt.usd(g.usd), fmt.usd(g.usdPerResolved), String(g.iterations), fmt.pct(g.mutationScore), fmt.pct(g.reviewRecall), fmt.pct(g.reviewPrecision)]), 1);
  const yn = (b: boolean | null | undefined) => (b === null || b === undefined ? '–' : b ? 'yes' : 'no');
  const tasks = table(
    ['task', 'category', 'resolved', 'style', 'explain', 'iter', 'input', 'output', 'cache read', 'cache write', 'USD', 'wall', 'validators fired', 'notes'],
    results.map((r) => [esc(r.id), esc(r.category), r.resolved ? 'yes' : '<b>NO</b>', yn(r.styleOk), yn(r.explanation?.ok), String(r.iterations),
      fmt.int(r.usage.inputTokens), fmt.int(r.usage.outputTokens), fmt.int(r.usage.cacheReadTokens), fmt.int(r.usage.cacheWriteTokens),
      fmt.usd(r.usd), fmt.secs(r.wallMs), esc(r.validatorsFired.join(', ') || '–'),
      esc(r.resolved ? (r.mutation ? `mutants ${r.mutation.killed}/${r.mutation.planted}` : r.review ? `review ${r.review.found}/${r.review.planted}` : '') : unresolvedWhy(r))]), 5);
  const run = [`provider ${meta.provider}${meta.model ? ` (${meta.model})` : ''}`, `started ${meta.startedAt}`,
    meta.concurrency ? `concurrency ${meta.concurrency}` : '', meta.elapsedMs !== undefined ? `elapsed ${fmt.secs(meta.elapsedMs)}` : ''].filter(Boolean).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>patchloop eval — ${s.overall.resolved}/${s.overall.tasks} resolved</title><style>${CSS}</style></head>
<body><h1>patchloop eval</h1><div class="meta">${esc(run)}</div>
<div class="gate ${pass ? 'pass' : 'fail'}">Resolved (a): <b>${s.overall.resolved}/${s.overall.tasks} = ${fmt.pct(s.overall.resolvedRate)}</b> — gate ${fmt.pct(threshold)}: <b>${pass ? 'PASS' : 'FAIL'}</b> · spend ${fmt.usd(s.overall.usd)} · ${fmt.usd(s.overall.usdPerResolved)} per resolved task</div>
<h2>Charts</h2><div class="charts">${charts.join('\n')}</div>
<h2>Totals</h2>${totals}
<h2>Tasks</h2>${tasks}
</body></html>
`;
}
