import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, makeRepo } from './helpers.ts';

describe('read_file', () => {
  it('numbers lines', async () => {
    const root = makeRepo({ 'a.ts': 'one\ntwo\nthree\n' });
    const r = await call(root, 'read_file', { path: 'a.ts' });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toBe('  1| one\n  2| two\n  3| three');
  });

  it('reads a line range and says where it is', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const root = makeRepo({ 'a.txt': `${lines}\n` });
    const r = await call(root, 'read_file', { path: 'a.txt', start_line: 9, end_line: 11 });
    expect(r.llmContent).toBe('   9| line 9\n  10| line 10\n  11| line 11\n[lines 9-11 of 20]');
  });

  it('caps long files at 400 lines and says how to read on', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `l${i + 1}`).join('\n');
    const root = makeRepo({ 'big.txt': lines });
    const r = await call(root, 'read_file', { path: 'big.txt' });
    const shown = r.llmContent.split('\n').filter((l) => /^\s*\d+\| /.test(l));
    expect(shown).toHaveLength(400);
    expect(r.llmContent).toMatch(/\[shown lines 1-400 of 1000; read more with start_line: 401\]$/);
  });

  it('caps by characters too', async () => {
    const line = 'x'.repeat(1000);
    const root = makeRepo({ 'wide.txt': Array.from({ length: 100 }, () => line).join('\n') });
    const r = await call(root, 'read_file', { path: 'wide.txt' });
    expect(r.llmContent.length).toBeLessThan(42_000);
    expect(r.llmContent).toMatch(/read more with start_line: \d+\]$/);
  });

  it('rejects start_line past the end and end before start', async () => {
    const root = makeRepo({ 'a.ts': 'one\n' });
    const past = await call(root, 'read_file', { path: 'a.ts', start_line: 5 });
    expect(past.ok).toBe(false);
    expect(past.llmContent).toMatch(/start_line: 5 is past the end; a\.ts has 1 lines/);
    const back = await call(root, 'read_file', { path: 'a.ts', start_line: 1, end_line: 0 });
    expect(back.ok).toBe(false);
    expect(back.llmContent).toMatch(/end_line/);
  });

  it('does not dump binary files', async () => {
    const root = makeRepo();
    writeFileSync(path.join(root, 'img.png'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
    const r = await call(root, 'read_file', { path: 'img.png' });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toMatch(/binary file \(4 bytes\)/);
  });

  it('points a directory at list_files and a missing file at list_files', async () => {
    const root = makeRepo({ 'src/a.ts': 'x' });
    expect((await call(root, 'read_file', { path: 'src' })).llmContent).toMatch(/directory; use list_files/);
    expect((await call(root, 'read_file', { path: 'src/b.ts' })).llmContent).toMatch(/does not exist/);
  });
});
