/**
 * `replace_body`: replaces the statements between a function's braces. An arrow function with an
 * expression body gets a block. The new body is laid out in the file's indentation one level below
 * the declaration line.
 */
import type { Node as AstNode } from 'ts-morph';
import { lazyTsMorph } from './ts-morph.ts';

const Node = lazyTsMorph('Node');
import { z } from 'zod';
import { defineTool } from '../define.ts';
import { readTextForEdit } from '../fsio.ts';
import { resolveForWrite } from '../paths.ts';
import type { Tool } from '../types.ts';
import { checkedEdit, fileStyle, layoutCode, lineIndentAt, parseSource } from './source.ts';
import { findBodyOwner } from './symbols.ts';

const schema = z.strictObject({
  path: z.string().min(1).describe('Repo-relative path of a .ts/.tsx/.js/.jsx/.mts/.cts file.'),
  symbol: z
    .string()
    .min(1)
    .describe('"fn", "Class.method", "Class.constructor", "Class.get prop", "Class.set prop" or "obj.method".'),
  body: z.string().describe('The statements between the braces, without the braces themselves.'),
});

export function replaceBodyTool(): Tool {
  return defineTool({
    name: 'replace_body',
    readOnly: false,
    schema,
    run(op, ctx) {
      const file = resolveForWrite(ctx, op.path);
      const before = readTextForEdit(file);
      const sf = parseSource(file.rel, before);
      const owner = findBodyOwner(sf, op.symbol);
      const body = owner.getBody() as AstNode;
      const { eol, unit } = fileStyle(before);
      // Indent relative to the line the declaration starts on (`  async handle() {` or `const f = () =>`).
      const declIndent = lineIndentAt(before, owner.getStart());
      const inner = layoutCode(op.body, declIndent + unit, unit, eol, file.rel);
      const block = inner.trim() === '' ? '{}' : `{${eol}${inner}${eol}${declIndent}}`;
      const start = body.getStart();
      const end = body.getEnd();
      const after = before.slice(0, start) + block + before.slice(end);
      const what = `replace_body ${op.symbol}${Node.isBlock(body) ? '' : ' (expression body → block)'}`;
      return checkedEdit(file, before, after, what);
    },
  });
}
