/**
 * Validator 2 — completeness: output the model cut short or left as a placeholder. Looks only at
 * lines the edit added (relative to base), so placeholders already in the repository are not
 * blamed on the model.
 */
import { ts } from 'ts-morph';
import { addedLines } from './base.ts';
import type { Finding, ValidationInput, Validator } from './types.ts';
import { SCRIPT_EXT, type Workspace } from './workspace.ts';

/** Placeholder patterns, each with the rule id it reports and a fix. Matched per added line. */
const PLACEHOLDERS: { rule: string; re: RegExp; what: string }[] = [
  {
    rule: 'completeness/placeholder-comment',
    re: /(\/\/|\/\*)\s*(\.\.\.|…)|(\/\/|\/\*)\s*(rest of|remaining|existing|same as|unchanged)\b.*\b(code|file|implementation|unchanged|methods|logic|functions?)\b/i,
    what: 'placeholder comment instead of code',
  },
  { rule: 'completeness/ellipsis-body', re: /^\s*(\{\s*)?(\.\.\.|…)\s*;?\s*(\}\s*)?$/, what: '`...` written as a body' },
  { rule: 'completeness/todo-implement', re: /\bTODO\b[:\s-]*implement/i, what: '`TODO: implement` left in the code' },
  {
    rule: 'completeness/not-implemented',
    re: /throw\s+new\s+\w*Error\s*\(\s*['"`]\s*not\s+(yet\s+)?implemented/i,
    what: '`throw new Error("Not implemented")` stub',
  },
];

const OPENERS: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.OpenBraceToken]: '{',
  [ts.SyntaxKind.OpenParenToken]: '(',
  [ts.SyntaxKind.OpenBracketToken]: '[',
  [ts.SyntaxKind.TemplateHead]: '${',
};
const CLOSERS: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.CloseBraceToken]: '{',
  [ts.SyntaxKind.CloseParenToken]: '(',
  [ts.SyntaxKind.CloseBracketToken]: '[',
};
/** Tokens after which a `/` starts a regular expression rather than a division. */
const REGEX_CONTEXT = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.OpenParenToken, ts.SyntaxKind.CommaToken, ts.SyntaxKind.EqualsToken, ts.SyntaxKind.ColonToken,
  ts.SyntaxKind.OpenBracketToken, ts.SyntaxKind.ExclamationToken, ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionToken, ts.SyntaxKind.OpenBraceToken, ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.SemicolonToken, ts.SyntaxKind.ReturnKeyword, ts.SyntaxKind.EqualsGreaterThanToken, ts.SyntaxKind.Unknown,
]);

/**
 * Brackets still open at end of file, as `{ char, line }` (1-based) from outermost to innermost.
 * Uses the TypeScript scanner so brackets inside strings, comments, templates and regexes do not count.
 */
export function unclosedBrackets(text: string): { char: string; line: number }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const stack: { char: string; line: number }[] = [];
  let prev: ts.SyntaxKind = ts.SyntaxKind.Unknown;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (pos: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && REGEX_CONTEXT.has(prev)) {
      kind = scanner.reScanSlashToken();
    }
    if (kind === ts.SyntaxKind.CloseBraceToken && stack.at(-1)?.char === '${') {
      kind = scanner.reScanTemplateToken(false);
      if (kind === ts.SyntaxKind.TemplateTail) stack.pop();
    } else if (OPENERS[kind]) {
      stack.push({ char: OPENERS[kind]!, line: lineOf(scanner.getTokenStart()) });
    } else if (CLOSERS[kind] && stack.at(-1)?.char === CLOSERS[kind]) {
      stack.pop();
    }
    prev = kind;
  }
  return stack;
}

/** Creates the completeness validator. `input.lastStopReason === 'max_tokens'` is reported once, on the last touched file. */
export function createCompletenessValidator(ws: Workspace): Validator {
  return {
    name: 'completeness',
    async validate(input: ValidationInput): Promise<Finding[]> {
      const out: Finding[] = [];
      const files = input.touchedFiles.filter((f) => SCRIPT_EXT.test(f));
      for (const file of files) {
        const text = ws.text(file);
        if (text === undefined) continue;
        const added = addedLines(await ws.base.read(file), text);
        const lines = text.split('\n');
        lines.forEach((l, i) => {
          if (!added.has(i + 1)) return;
          const hit = PLACEHOLDERS.find((p) => p.re.test(l));
          if (hit) {
            out.push({
              validator: 'completeness', file, line: i + 1, column: l.search(/\S/) + 1, rule: hit.rule, severity: 'error',
              message: `${hit.what}: "${l.trim().slice(0, 80)}"`,
              suggestion: 'write the complete code; the file on disk is exactly what you output',
            });
          }
        });
        const open = unclosedBrackets(text);
        if (open.length > 0) {
          const inner = open.at(-1)!;
          out.push({
            validator: 'completeness', file, line: lines.length, column: 0, rule: 'completeness/truncated', severity: 'error',
            message: `file ends with ${open.length} unclosed bracket(s) (innermost '${inner.char}' opened at line ${inner.line}): the output looks truncated`,
            suggestion: 'rewrite the file from the innermost open block to the end',
          });
        }
      }
      if (input.lastStopReason === 'max_tokens') {
        out.push({
          validator: 'completeness', file: files.at(-1) ?? input.touchedFiles.at(-1) ?? '', line: 0, column: 0, rule: 'completeness/max-tokens', severity: 'error',
          message: 'the model turn that made this edit stopped at max_tokens, so the edit is probably cut off',
          suggestion: 'make smaller edits (one symbol per call) so each fits in one turn',
        });
      }
      return out;
    },
  };
}
