/**
 * The live progress view in a real pseudo-terminal (tmux): the machine's states appear in order,
 * Ctrl-C once stops after the current step with the resume command on screen (exit 130), and
 * `resume` then finishes the task.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PATCHLOOP_BIN, REPO_ROOT } from '../support/cli.ts';
import { loadTask, prepareInstanceRepo } from '../../src/eval/instance.ts';

const SOCKET = `patchloop-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = (name: string) => tmux('capture-pane', '-p', '-S', '-500', '-t', name); // with scroll-back
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ORDER = ['starting', 'plan', 'edit', 'validate', 'test', 'repair', 'commit', 'resolved'];

async function waitFor(name: string, re: RegExp, ms: number, onFrame?: (s: string) => void): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen(name);
    onFrame?.(s);
    if (re.test(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${re} on screen:\n${s}`);
    await sleep(40);
  }
}

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    /* already gone */
  }
});

describe('terminal', () => {
  it('shows the states live, stops on one Ctrl-C, and resume finishes', async () => {
    const inst = loadTask(path.join(REPO_ROOT, 'tasks', 'bugfix-paginate-off-by-one'));
    const repo = await prepareInstanceRepo(inst, path.join(REPO_ROOT, 'node_modules'));
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    // A slow test command keeps the run in `test` long enough for a person (and this test) to press Ctrl-C.
    const cmd = ['env', '-u', 'CI', process.execPath, PATCHLOOP_BIN, 'run', '--repo', repo, '--task', q('fix pagination'), '--test-cmd', q(`sleep 2 && ${inst.task.test_cmd}`), '--provider', 'replay', '--transcript', path.join(inst.dir, 'transcript.jsonl'), '--run-id', 'tty'].join(' ');
    tmux('new-session', '-d', '-s', 'run', '-x', '160', '-y', '40', `${cmd}; echo EXIT=$?; sleep 60`);
    const seen: string[] = [];
    const track = (s: string) => {
      const m = /●\s+([a-z_]+)(?:\.[a-z]+)?\s+iteration/.exec(s);
      if (m && seen.at(-1) !== m[1]) seen.push(m[1]!);
    };
    await waitFor('run', /●\s+test\s+iteration/, 60_000, track);
    tmux('send-keys', '-t', 'run', 'C-c');
    const stopped = await waitFor('run', /EXIT=\d+/, 60_000, track);
    expect(stopped).toContain('EXIT=130');
    expect(stopped).toContain('stopping after the current step');
    expect(stopped).toContain('patchloop resume tty');
    // States were drawn in the machine's order (a live view may skip fast ones, never reorder them).
    const idx = seen.map((s) => ORDER.indexOf(s));
    expect(idx.every((v) => v >= 0)).toBe(true);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(seen).toContain('test');

    tmux('new-session', '-d', '-s', 'resume', '-x', '160', '-y', '40', `env -u CI ${process.execPath} ${PATCHLOOP_BIN} resume tty --repo ${repo}; echo EXIT=$?; sleep 60`);
    const done = await waitFor('resume', /EXIT=\d+/, 120_000);
    expect(done).toContain('EXIT=0');
    expect(done).toMatch(/run tty: resolved/);
  });
});
