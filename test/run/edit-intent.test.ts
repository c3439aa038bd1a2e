/** An edit announced in the trace but not recorded as done is re-run only if the file is unchanged. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentSha, editTarget, recoverEdit } from '../../src/run/edit-intent.ts';
import { journalFromTrace } from '../../src/run/journal.ts';
import type { TraceLine } from '../../src/trace/trajectory.ts';

describe('edit intents', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'intent-'));
  writeFileSync(path.join(root, 'a.ts'), 'export const a = 1;\n');
  const before = contentSha(root, 'a.ts');
  const intent = { id: 't1', name: 'str_replace', path: 'a.ts', beforeSha: before };

  it('re-runs the edit when the file still has its old content', () => {
    expect(recoverEdit(intent, contentSha(root, 'a.ts'))).toBeUndefined();
  });

  it('recovers instead of re-applying when the edit landed', () => {
    writeFileSync(path.join(root, 'a.ts'), 'export const a = 2;\n');
    const r = recoverEdit(intent, contentSha(root, 'a.ts'));
    expect(r).toMatchObject({ ok: true, changedFiles: ['a.ts'] });
    expect(r!.llmContent).toMatch(/applied before patchloop restarted/);
  });

  it('treats a missing or escaping path as absent and reads paths from tool input', () => {
    expect(contentSha(root, 'nope.ts')).toBe('absent');
    expect(contentSha(root, '../../etc/passwd')).toBe('absent');
    expect(recoverEdit({ ...intent, beforeSha: 'absent' }, contentSha(root, 'a.ts'))).toBeDefined(); // create_file landed
    expect(editTarget({ path: 'src/x.ts', old_str: 'a' })).toBe('src/x.ts');
    expect(editTarget({ pattern: 'x' })).toBeUndefined();
  });

  it('the journal carries intents from the trace', () => {
    const line = { v: 1, seq: 0, ts: '', type: 'tool_intent', step: 2, id: 't9', name: 'replace_body', path: 'a.ts', beforeSha: 'abc' } as TraceLine;
    expect(journalFromTrace([line]).intents.get('t9')).toEqual({ id: 't9', name: 'replace_body', path: 'a.ts', beforeSha: 'abc' });
  });
});
