/**
 * report.html renders in headless Chromium (Debian `chromium` via playwright-core): four charts with
 * the right number of bars, visible boxes, no console errors and no network request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { renderHtml } from '../../src/eval/report-html.ts';
import { RESULTS } from './fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('report.html in Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    dir = mkdtempSync(path.join(os.tmpdir(), 'patchloop-report-'));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart with its bars and makes no request', async () => {
    const file = path.join(dir, 'report.html');
    writeFileSync(file, renderHtml(RESULTS, { provider: 'replay', startedAt: '2026-11-28T05:00:00.000Z', threshold: 0.85 }));
    const url = pathToFileURL(file).href;
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
    await page.goto(url, { waitUntil: 'load' });

    const charts = await page.$$eval('svg[data-chart]', (svgs) => svgs.map((s) => {
      const bars = [...s.querySelectorAll('rect.bar')].map((r) => {
        const b = r.getBoundingClientRect();
        return { label: r.getAttribute('data-label'), value: Number(r.getAttribute('data-value')), w: b.width, h: b.height };
      });
      const box = s.getBoundingClientRect();
      return { id: s.getAttribute('data-chart'), w: box.width, h: box.height, bars };
    }));
    expect(charts.map((c) => c.id)).toEqual(['resolved-rate', 'cost-per-resolved', 'iterations', 'tokens']);
    const chart = (id: string) => charts.find((c) => c.id === id)!;
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(100);
      expect(c.h).toBeGreaterThan(100);
      for (const b of c.bars) expect(b.w * b.h, `${c.id}/${b.label}`).toBeGreaterThan(0);
    }
    // Five categories; completion resolved nothing, so it has no cost-per-resolved bar.
    expect(chart('resolved-rate').bars.map((b) => b.label)).toEqual(['completion', 'refactor', 'bugfix', 'testgen', 'review']);
    expect(chart('cost-per-resolved').bars.map((b) => b.label)).toEqual(['refactor', 'bugfix', 'testgen', 'review']);
    expect(await page.locator('svg[data-chart="cost-per-resolved"] text.missing').textContent()).toBe('none resolved');
    // Iterations 0,1,1,1,2,2,3 → four bins.
    expect(chart('iterations').bars.map((b) => [b.label, b.value])).toEqual([['0', 1], ['1', 3], ['2', 2], ['3', 1]]);
    expect(chart('tokens').bars.map((b) => b.label)).toEqual(['input', 'output', 'cache read', 'cache write']);
    // Heights follow the values: refactor (100%) is twice bugfix (50%).
    const rr = chart('resolved-rate').bars;
    expect(rr[1]!.h / rr[2]!.h).toBeCloseTo(2, 1);
    // The gate (85%) is a dashed line at 85% of the full bar's height above the axis.
    const gate = await page.$eval('svg[data-chart="resolved-rate"] line.guide', (l) => l.getBoundingClientRect().y);
    const full = await page.$eval('svg[data-chart="resolved-rate"] rect.bar[data-label="refactor"]', (r) => { const b = r.getBoundingClientRect(); return { top: b.y, bottom: b.y + b.height }; });
    expect((full.bottom - gate) / (full.bottom - full.top)).toBeCloseTo(0.85, 1);
    expect(await page.locator('.gate').textContent()).toContain('FAIL');
    expect(await page.locator('table').count()).toBe(2);
    // The untrusted reason is shown as text, never run.
    expect(await page.locator('script').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);
});
