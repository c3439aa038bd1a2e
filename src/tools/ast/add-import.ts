/**
 * `add_import`: adds named, default or type-only imports of a module. Names merge into an existing
 * import of the same module (a value import for values, an `import type` for types); names already
 * imported are skipped; a new import statement goes after the last import, in the file's quote and
 * semicolon style.
 */
import { type ImportDeclaration, type SourceFile } from 'ts-morph';
import { z } from 'zod';
import { defineTool } from '../define.ts';
import { ToolFailure } from '../failure.ts';
import { readTextForEdit } from '../fsio.ts';
import { resolveForWrite } from '../paths.ts';
import type { Tool } from '../types.ts';
import { checkedEdit, fileStyle, lineIndentAt, parseSource } from './source.ts';

const NAME = /^[A-Za-z_$][\w$]*(\s+as\s+[A-Za-z_$][\w$]*)?$/;
const IDENT = /^[A-Za-z_$][\w$]*$/;

const schema = z
  .strictObject({
    path: z.string().min(1).describe('Repo-relative path of a .ts/.tsx/.js/.jsx/.mts/.cts file.'),
    module: z
      .string()
      .min(1)
      .regex(/^[^'"`\\\r\n]+$/, 'expected a module specifier without quotes, backslashes or line breaks')
      .describe('Module specifier exactly as it should appear, e.g. "node:path" or "./util.ts".'),
    names: z
      .array(z.string().regex(NAME, 'expected "name" or "name as alias"'))
      .optional()
      .describe('Named imports, e.g. ["join", "sep as SEP"].'),
    default: z.string().regex(IDENT, 'expected an identifier').optional().describe('Local name of the default import.'),
    type_only: z.boolean().optional().describe('Import as `import type` (TypeScript files only).'),
  })
  .refine((o) => (o.names?.length ?? 0) > 0 || o.default !== undefined, {
    message: 'give names and/or default',
    path: ['names'],
  });

export function addImportTool(): Tool {
  return defineTool({
    name: 'add_import',
    readOnly: false,
    schema,
    run(op, ctx) {
      const file = resolveForWrite(ctx, op.path);
      const before = readTextForEdit(file);
      const sf = parseSource(file.rel, before);
      const typeOnly = op.type_only === true;
      if (typeOnly && /\.(c|m)?jsx?$/.test(file.rel))
        throw new ToolFailure(`type_only: ${file.rel} is JavaScript; type imports need a TypeScript file.`);
      const names = [...new Set((op.names ?? []).map((n) => n.trim().replace(/\s+/g, ' ')))];
      const same = sf
        .getImportDeclarations()
        .filter((d) => d.getModuleSpecifierValue() === op.module && d.isTypeOnly() === typeOnly);
      const imported = new Set(
        same.flatMap((d) => d.getNamedImports().map((n) => specText(n.getName(), n.getAliasNode()?.getText()))),
      );
      const wanted = names.filter((n) => !imported.has(n));
      const existingDefault = same.map((d) => d.getDefaultImport()?.getText()).find((d) => d !== undefined);
      let wantDefault = op.default;
      if (wantDefault !== undefined && existingDefault !== undefined) {
        if (existingDefault !== wantDefault)
          throw new ToolFailure(
            `default: "${op.module}" is already imported as default "${existingDefault}"; use that name.`,
          );
        wantDefault = undefined;
      }
      if (wanted.length === 0 && wantDefault === undefined) {
        return {
          ok: true,
          llmContent: `${file.rel} already imports that from "${op.module}"; no change.`,
          display: `${file.rel}: import already present`,
        };
      }
      // Merge target: an import of the module without `* as` (named imports cannot join a namespace import).
      const target = same.find(
        (d) =>
          d.getNamespaceImport() === undefined && (wantDefault === undefined || d.getDefaultImport() === undefined),
      );
      const after = target
        ? mergeInto(before, target, wanted, wantDefault)
        : insertNew(before, sf, op.module, wanted, wantDefault, typeOnly);
      const what = `add_import ${[wantDefault, ...wanted].filter(Boolean).join(', ')} from ${op.module}`;
      return checkedEdit(file, before, after, what);
    },
  });
}

function specText(name: string, alias: string | undefined): string {
  return alias === undefined ? name : `${name} as ${alias}`;
}

/** Adds names (and a default) to an existing import declaration, keeping its layout. */
function mergeInto(text: string, decl: ImportDeclaration, names: string[], def: string | undefined): string {
  const named = decl.getImportClause()?.getNamedBindings();
  let out = text;
  if (names.length > 0) {
    const elements = decl.getNamedImports();
    const lastEl = elements[elements.length - 1];
    if (named && lastEl) {
      const multiline = named.getText().includes('\n');
      const sep = multiline
        ? `,${text.includes('\r\n') ? '\r\n' : '\n'}${lineIndentAt(text, lastEl.getStart())}`
        : ', ';
      const at = lastEl.getEnd();
      out = out.slice(0, at) + names.map((n) => sep + n).join('') + out.slice(at);
    } else if (named) {
      // `import {} from 'm'`.
      out = out.slice(0, named.getStart()) + `{ ${names.join(', ')} }` + out.slice(named.getEnd());
    } else {
      // Default-only import: `import d from 'm'` → `import d, { a } from 'm'`.
      const d = decl.getDefaultImport();
      if (!d)
        throw new ToolFailure(`module: cannot merge into the existing import of "${decl.getModuleSpecifierValue()}".`);
      out = out.slice(0, d.getEnd()) + `, { ${names.join(', ')} }` + out.slice(d.getEnd());
    }
  }
  if (def !== undefined) {
    const clauseStart = decl.getImportClause()?.getStart();
    if (clauseStart === undefined) throw new ToolFailure(`default: cannot add a default to a side-effect import.`);
    // Offsets before the named bindings are unchanged by the edit above.
    const typeKw = decl.isTypeOnly() ? 'type '.length : 0;
    const at = clauseStart + typeKw;
    out = out.slice(0, at) + `${def}, ` + out.slice(at);
  }
  return out;
}

/** Adds a new import statement after the last import (or at the top, after a shebang and directives). */
function insertNew(
  text: string,
  sf: SourceFile,
  mod: string,
  names: string[],
  def: string | undefined,
  typeOnly: boolean,
): string {
  const { eol } = fileStyle(text);
  const imports = sf.getImportDeclarations();
  const sample = imports[imports.length - 1];
  const quote = sample ? (sample.getModuleSpecifier().getText()[0] ?? "'") : guessQuote(text);
  const semi = sample ? sample.getText().trimEnd().endsWith(';') : !/^\s*import[^\n]*[^;\s]\s*$/m.test(text);
  const clause = [def, names.length > 0 ? `{ ${names.join(', ')} }` : undefined].filter(Boolean).join(', ');
  const stmt = `import ${typeOnly ? 'type ' : ''}${clause} from ${quote}${mod}${quote}${semi ? ';' : ''}`;
  if (sample) {
    const at = sample.getEnd();
    return text.slice(0, at) + eol + stmt + text.slice(at);
  }
  // Keep a shebang and leading directives ('use strict') above the import.
  let at = 0;
  for (const st of sf.getStatements()) {
    if (st.getText().match(/^['"]use \w+['"];?$/)) at = st.getEnd();
    else break;
  }
  if (at === 0) {
    const shebang = /^#!.*(\r?\n|$)/.exec(text);
    const head = shebang ? shebang[0].length : 0;
    return text.slice(0, head) + stmt + eol + (text.slice(head).startsWith(eol) ? '' : eol) + text.slice(head);
  }
  return text.slice(0, at) + eol + eol + stmt + text.slice(at);
}

/** Single quotes unless the file's string literals are mostly double-quoted. */
function guessQuote(text: string): string {
  const single = (text.match(/'/g) ?? []).length;
  const double = (text.match(/"/g) ?? []).length;
  return double > single ? '"' : "'";
}
