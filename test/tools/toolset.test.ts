import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToolset, runToolCall, toolsByName, type Tool } from '../../src/tools/index.ts';
import { call, makeRepo } from './helpers.ts';

const NAMES = [
  'read_file',
  'list_files',
  'search',
  'str_replace',
  'create_file',
  'delete_file',
  'replace_body',
  'replace_declaration',
  'insert_declaration',
  'add_import',
];

describe('the toolset', () => {
  it('has the ten protocol tools, with .md descriptions and object JSON schemas', () => {
    const tools = createToolset();
    expect(tools.map((t) => t.spec.name)).toEqual(NAMES);
    for (const t of tools) {
      expect(t.spec.description.length).toBeGreaterThan(80);
      expect(t.spec.input_schema.type).toBe('object');
      expect(t.spec.input_schema.additionalProperties).toBe(false);
      expect(t.spec.input_schema).not.toHaveProperty('$schema');
    }
    expect(toolsByName().get('str_replace')?.spec.input_schema.required).toEqual(['path', 'old_str', 'new_str']);
  });

  it('marks exactly the plan-phase tools read-only', () => {
    expect(
      createToolset()
        .filter((t) => t.readOnly)
        .map((t) => t.spec.name),
    ).toEqual(['read_file', 'list_files', 'search']);
  });

  it('turns an unknown tool name into ok:false listing the tools', async () => {
    const r = await runToolCall(createToolset(), 'delete_everything', {}, { root: makeRepo() });
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/Unknown tool "delete_everything". Available tools: read_file, list_files/);
  });

  it('turns a thrown error into ok:false', async () => {
    const boom: Tool = {
      spec: { name: 'boom', description: 'x', input_schema: { type: 'object', properties: {} } },
      readOnly: true,
      run: async () => {
        throw new Error('disk on fire');
      },
    };
    const r = await runToolCall([boom], 'boom', {}, { root: '/' });
    expect(r).toMatchObject({ ok: false, llmContent: 'boom failed: disk on fire' });
  });

  it('turns an I/O error in an edit into ok:false (file where a directory is needed)', async () => {
    const root = makeRepo({ 'a.ts': 'x' });
    const r = await call(root, 'create_file', { path: 'a.ts/b.ts', content: 'y' });
    expect(r.ok).toBe(false);
  });

  it('rejects non-object input naming the problem', async () => {
    const root = makeRepo();
    const r = await call(root, 'read_file', 'src/a.ts');
    expect(r.ok).toBe(false);
    expect(r.llmContent).toMatch(/Invalid input for read_file: \(input\): expected object/);
    mkdirSync(path.join(root, 'src'));
    const n = await call(root, 'read_file', { path: 'src', start_line: 0 });
    expect(n.llmContent).toMatch(/start_line: /);
  });

  it('leaves no temp files behind after an edit', async () => {
    const root = makeRepo({ 'a.txt': 'one\n' });
    await call(root, 'str_replace', { path: 'a.txt', old_str: 'one', new_str: 'two' });
    expect(readdirSync(root)).toEqual(['a.txt']);
  });
});
