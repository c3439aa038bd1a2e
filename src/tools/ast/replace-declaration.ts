/**
 * `replace_declaration`: replaces a whole top-level declaration (function with its overloads, class,
 * interface, type alias, enum, namespace or variable statement). When the new code starts with a
 * comment, the old JSDoc is replaced too; otherwise it is kept.
 */
import { lazyTsMorph } from './ts-morph.ts';

const Node = lazyTsMorph('Node');
import { z } from 'zod';
import { defineTool } from '../define.ts';
import { ToolFailure } from '../failure.ts';
import { readTextForEdit } from '../fsio.ts';
import { resolveForWrite } from '../paths.ts';
import type { Tool } from '../types.ts';
import { checkedEdit, fileStyle, layoutCode, lineIndentAt, parseSource } from './source.ts';
import { findTopLevel, inventory, parseSymbol } from './symbols.ts';

const schema = z.strictObject({
  path: z.string().min(1).describe('Repo-relative path of a .ts/.tsx/.js/.jsx/.mts/.cts file.'),
  symbol: z.string().min(1).describe('Name of the top-level declaration to replace, e.g. "slugify" or "Options".'),
  code: z.string().min(1).describe('The complete new declaration, including `export` if it should stay exported.'),
});

/** New code that starts with a comment brings its own docs. */
const LEADING_COMMENT = /^\s*(\/\*|\/\/)/;
const STARTS_WITH_EXPORT = /^\s*(?:(?:\/\*[\s\S]*?\*\/|\/\/[^\n]*)\s*)*export\b/;

export function replaceDeclarationTool(): Tool {
  return defineTool({
    name: 'replace_declaration',
    readOnly: false,
    schema,
    run(op, ctx) {
      const file = resolveForWrite(ctx, op.path);
      const before = readTextForEdit(file);
      const sf = parseSource(file.rel, before);
      const name = parseSymbol(op.symbol);
      if (name.member !== undefined)
        throw new ToolFailure(
          `symbol: "${op.symbol}" is a member; replace_declaration takes a top-level name (use replace_body, or replace the whole class).`,
        );
      const found = findTopLevel(sf, name.top);
      const first = found[0];
      const last = found[found.length - 1];
      if (!first || !last)
        throw new ToolFailure(`symbol: no top-level declaration "${name.top}" in ${file.rel}. ${inventory(sf)}`);
      if (found.length > 1 && !found.every((s) => Node.isFunctionDeclaration(s))) {
        const lines = found.map((s) => s.getStartLineNumber()).join(', ');
        throw new ToolFailure(
          `symbol: "${name.top}" is declared ${found.length} times (lines ${lines}); use str_replace on the one you mean.`,
        );
      }
      const start = first.getStart(LEADING_COMMENT.test(op.code));
      const { eol, unit } = fileStyle(before);
      const code = layoutCode(op.code, lineIndentAt(before, start), unit, eol, file.rel).replace(/^[ \t]+/, '');
      const after = before.slice(0, start) + code + before.slice(last.getEnd());
      let note = '';
      const wasExported = Node.isExportable(first) && first.isExported();
      if (wasExported && !STARTS_WITH_EXPORT.test(op.code))
        note += ` Note: ${name.top} was exported and the new code is not.`;
      return checkedEdit(file, before, after, `replace_declaration ${name.top}`, note);
    },
  });
}
