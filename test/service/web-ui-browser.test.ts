/**
 * The run viewer in headless Chromium (Debian `chromium` via playwright-core): after the key is
 * typed in, the runs table fills from the API; a run's page that opens while the run is still
 * queued fills in live as its trace events arrive over SSE, and ends showing it resolved.
 * A screenshot is kept in test-output/service/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from '../support/cli.ts';
import { startTestService, type TestService } from './support.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const OUT = path.join(REPO_ROOT, 'test-output', 'service');

describe('the web page in Chromium', () => {
  let browser: Browser;
  let t: TestService;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does)`);
    t = await startTestService({ workers: 1 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('fills the runs table, and a run page updates live until the run resolves', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('request', (r) => { if (!r.url().startsWith(t.svc.url)) foreign.push(r.url()); });
    await page.goto(`${t.svc.url}/`);
    await page.fill('#key-input', t.token);
    await page.click('form.key button');

    // One worker: the second run waits in the queue while the first runs, and the first cannot end
    // before the page has opened the second (its test command waits for a gate file that the sandbox
    // can read: not under /tmp, which it replaces), so the live part is not a race with the machine's speed.
    mkdirSync(path.join(os.homedir(), '.cache'), { recursive: true });
    const gateDir = mkdtempSync(path.join(os.homedir(), '.cache', 'patchloop-gate-'));
    const gate = path.join(gateDir, 'open');
    const submit = async (body: Record<string, unknown>) => ((await (await t.api('/v1/runs', { body })).json()) as { id: string }).id;
    const base = t.body();
    const first = await submit({ ...base, testCmd: `while [ ! -e '${gate}' ]; do sleep 0.1; done; ${String(base['testCmd'])}` });
    const second = await submit(base);
    await page.waitForSelector(`tr.run[data-id="${second}"]`, { timeout: 20_000 });
    expect(await page.$$eval('tr.run', (rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual([second, first]);
    expect(await page.textContent(`tr.run[data-id="${second}"] td.task`)).toBe(t.inst.task.prompt.slice(0, 500));

    await page.click(`tr.run[data-id="${second}"]`);
    await page.waitForSelector('#run-status');
    const statesAtOpen = await page.$$eval('#timeline span', (s) => s.length);
    writeFileSync(gate, '');
    await page.waitForSelector('#run-status.status-resolved', { timeout: 90_000 });
    await page.waitForSelector('.event[data-type="run_end"]');
    const states = await page.$$eval('#timeline span', (s) => s.map((x) => x.getAttribute('data-state')));
    expect(statesAtOpen).toBeLessThan(states.length); // events arrived after the page opened
    expect(states[0]).toBe('plan.thinking');
    expect(states.at(-1)).toBe('resolved');
    const diffs = await page.$$eval('.event[data-type="tool_call"] pre.diff', (p) => p.map((x) => x.textContent ?? ''));
    expect(diffs.some((d) => d.includes('+++ b/src/slugify.ts'))).toBe(true);
    expect(await page.textContent('.event[data-type="test_run"] h3')).toMatch(/^tests passed/);
    const run = (await (await t.api(`/v1/runs/${second}`)).json()) as { usd: number };
    expect(await page.textContent('#fig-usd')).toBe(`USD $${run.usd.toFixed(4)}`);

    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: path.join(OUT, 'web-ui-run.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    rmSync(gateDir, { recursive: true, force: true });
  }, 180_000);
});
