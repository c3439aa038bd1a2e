/** `insert_declaration`: inserts top-level code after a named declaration, or at the end of the file. */
import { z } from 'zod';
import { defineTool } from '../define.ts';
import { ToolFailure } from '../failure.ts';
import { readTextForEdit } from '../fsio.ts';
import { resolveForWrite } from '../paths.ts';
import type { Tool } from '../types.ts';
import { checkedEdit, fileStyle, layoutCode, parseSource } from './source.ts';
import { findTopLevel, inventory, parseSymbol } from './symbols.ts';

const schema = z.strictObject({
  path: z.string().min(1).describe('Repo-relative path of a .ts/.tsx/.js/.jsx/.mts/.cts file.'),
  code: z.string().min(1).describe('One or more complete top-level declarations.'),
  after: z.string().min(1).optional().describe('Insert after this top-level declaration. Default: end of file.'),
});

export function insertDeclarationTool(): Tool {
  return defineTool({
    name: 'insert_declaration',
    readOnly: false,
    schema,
    run(op, ctx) {
      const file = resolveForWrite(ctx, op.path);
      const before = readTextForEdit(file);
      const sf = parseSource(file.rel, before);
      const { eol, unit } = fileStyle(before);
      const code = layoutCode(op.code, '', unit, eol, file.rel);
      let after: string;
      let where: string;
      if (op.after !== undefined) {
        const name = parseSymbol(op.after);
        if (name.member !== undefined)
          throw new ToolFailure(`after: "${op.after}" is a member; give a top-level name.`);
        const found = findTopLevel(sf, name.top);
        const last = found[found.length - 1];
        if (!last)
          throw new ToolFailure(`after: no top-level declaration "${name.top}" in ${file.rel}. ${inventory(sf)}`);
        const at = endOfLine(before, last.getEnd());
        after = before.slice(0, at) + eol + eol + code + before.slice(at);
        where = `after ${name.top}`;
      } else {
        const trimmed = before.replace(/\s+$/, '');
        after = trimmed === '' ? code + eol : trimmed + eol + eol + code + eol;
        where = 'at end of file';
      }
      return checkedEdit(file, before, after, `insert_declaration ${where}`);
    },
  });
}

/** Moves `pos` past a trailing `// comment` or spaces on the same line, so code lands on its own line. */
function endOfLine(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  const lineEnd = nl === -1 ? text.length : nl;
  const rest = text.slice(pos, lineEnd).replace(/\r$/, '');
  if (/^\s*(\/\/.*)?$/.test(rest)) return nl !== -1 && text[nl - 1] === '\r' ? nl - 1 : lineEnd;
  return pos;
}
