/**
 * The progress view loads log-update only for the live view, after the run started: frames before
 * it is there are skipped, the first one after draws the current state, and a run that ends first
 * still leaves its last frame.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressView } from '../../src/cli/progress.ts';
import type { TraceLine } from '../../src/trace/trajectory.ts';

const state = (s: string, seq: number): TraceLine => ({ v: 1, seq, ts: '2026-12-03T00:00:00.000Z', type: 'state', state: s, iteration: 1 });

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d) => (out += String(d)));
  return { stream, text: () => out };
}

/** Until log-update has loaded and the view drew with it. */
const loaded = async () => {
  await import('log-update');
  await new Promise((r) => setImmediate(r));
};

describe('the progress view', () => {
  it('live: draws the current state once log-update has loaded', async () => {
    const s = sink();
    const view = new ProgressView({ live: true, stream: s.stream, color: false, now: () => 0 });
    view.onTrace(state('plan.thinking', 0));
    await loaded();
    expect(s.text()).toContain('plan.thinking');
    view.onTrace(state('edit.thinking', 1));
    expect(s.text()).toContain('edit.thinking');
    view.done();
  });

  it('live: a run that ends before log-update loaded still leaves its last frame, and nothing is drawn after', async () => {
    const s = sink();
    const view = new ProgressView({ live: true, stream: s.stream, color: false, now: () => 0 });
    view.onTrace(state('resolved', 0));
    view.done();
    expect(s.text()).toContain('resolved');
    const after = s.text();
    await loaded();
    expect(s.text()).toBe(after);
  });

  it('plain: one line per state change', () => {
    const s = sink();
    const view = new ProgressView({ live: false, stream: s.stream, color: false, now: () => 0 });
    view.onTrace(state('plan.thinking', 0));
    view.onTrace(state('test', 1));
    view.done();
    expect(s.text().trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['plan.thinking', 'test']);
  });
});
