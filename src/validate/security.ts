/**
 * Validator 7 — security: a built-in rule set (independent of the repository's config) run through
 * ESLint's Node API with `overrideConfigFile: true`: typescript-eslint's parser, eslint-plugin-security
 * (noisy rules off), eslint-plugin-no-secrets, core `no-eval`/`no-new-func`, and `no-restricted-syntax`
 * selectors for what the plugins miss. New findings only, touched files only. (`no-eval` replaces
 * detect-eval-with-expression: one finding per eval, literal arguments included.)
 * Secrets: known key formats block anywhere, in every touched file (`secret-formats.ts`); the
 * no-secrets entropy guess is dropped in comments, on URLs and in test files, where it blocked
 * correct commits (a long benchmark URL in a doc comment, issue 12).
 *
 * Turned off as noisy on ordinary code (eslint-plugin-security 4.1 README and our tasks/ corpus):
 * detect-object-injection (every `obj[key]`), detect-non-literal-fs-filename (every `fs.readFile(p)`),
 * detect-non-literal-regexp, detect-possible-timing-attacks (any `===` with "token"/"password"),
 * detect-child-process (any `child_process` import; replaced by the interpolated-exec selector),
 * detect-unsafe-regex (fired on the textbook thousands-separator regex `/\B(?=(\d{3})+(?!\d))/g` in a tasks/ reference).
 */
import { ESLint, type Linter } from 'eslint';
import noSecrets from 'eslint-plugin-no-secrets';
import security from 'eslint-plugin-security';
import tseslint from 'typescript-eslint';
import { BaseLintCache, inProcessEngine, lintNew } from './eslint-run.ts';
import { isEntropyNoise, newSecretFindings } from './secret-formats.ts';
import type { Finding, ValidationInput } from './types.ts';
import { SCRIPT_EXT, type Workspace } from './workspace.ts';

// Not `get`/`run`/`all`: `map.get(`${a}:${b}`)` is everywhere; the SQL text reaches better-sqlite3 through `prepare`.
const SQL_CALL = "CallExpression[callee.property.name=/^(query|execute|raw|prepare|unsafe|\\$queryRawUnsafe|\\$executeRawUnsafe)$/]";
const INTERPOLATED = (i: number) =>
  [`[arguments.${i}.type='TemplateLiteral'][arguments.${i}.expressions.length>0]`, `[arguments.${i}.type='BinaryExpression'][arguments.${i}.operator='+']`];

/** `no-restricted-syntax` entries; the `[rule]` prefix becomes the finding's rule id. */
export const RESTRICTED: { selector: string; message: string }[] = [
  ...INTERPOLATED(0).map((a) => ({
    selector: `${SQL_CALL}${a}`,
    message: '[security/sql-injection] SQL built by interpolation/concatenation is passed to a query call; use a parameterised query (placeholders + values array)',
  })),
  {
    selector: "TemplateLiteral[expressions.length>0][quasis.0.value.raw=/^\\s*(SELECT|INSERT|UPDATE|DELETE)\\s[\\s\\S]*\\b(FROM|INTO|SET|WHERE)\\b/]",
    message: '[security/sql-injection] SQL text built with ${} interpolation; use a parameterised query (placeholders + values array)',
  },
  ...['exec', 'execSync'].flatMap((fn) =>
    INTERPOLATED(0).flatMap((a) => [
      { selector: `CallExpression[callee.property.name='${fn}'][callee.object.name=/^(cp|child_process|childProcess)$/]${a}`, message: `[security/command-injection] ${fn}() with an interpolated command runs it through a shell; use execFile/spawn with an argument array` },
      { selector: `CallExpression[callee.type='Identifier'][callee.name='${fn}']${a}`, message: `[security/command-injection] ${fn}() with an interpolated command runs it through a shell; use execFile/spawn with an argument array` },
    ]),
  ),
  { selector: "Property[key.name='rejectUnauthorized'][value.value=false]", message: '[security/tls-verification-off] rejectUnauthorized: false disables TLS certificate checks; remove it (use a CA bundle for self-signed certs)' },
  {
    selector: "AssignmentExpression[left.property.name='NODE_TLS_REJECT_UNAUTHORIZED'], AssignmentExpression[left.property.value='NODE_TLS_REJECT_UNAUTHORIZED']",
    message: '[security/tls-verification-off] setting NODE_TLS_REJECT_UNAUTHORIZED disables TLS checks process-wide; remove it',
  },
  {
    selector: "VariableDeclarator[id.name=/(password|passwd|secret|apiKey|api_key|accessToken|privateKey|authToken)$/i][init.type='Literal'][init.value=/^.{6,}$/]",
    message: '[security/hardcoded-secret] hard-coded credential; read it from the environment or a secret store',
  },
  {
    selector: "Property[key.name=/(password|passwd|secret|apiKey|api_key|accessToken|privateKey|authToken)$/i][value.type='Literal'][value.value=/^.{6,}$/]",
    message: '[security/hardcoded-secret] hard-coded credential; read it from the environment or a secret store',
  },
];

/** The inline flat config. Exported for tests and for the README. */
export const SECURITY_CONFIG: Linter.Config[] = [
  {
    files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
    languageOptions: { parser: tseslint.parser as Linter.Parser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
    plugins: { security, 'no-secrets': noSecrets as ESLint.Plugin },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'security/detect-non-literal-require': 'error',
      'security/detect-pseudoRandomBytes': 'error',
      'security/detect-buffer-noassert': 'error',
      'security/detect-new-buffer': 'error',
      'security/detect-bidi-characters': 'error',
      'security/detect-disable-mustache-escape': 'error',
      'security/detect-no-csrf-before-method-override': 'error',
      'no-secrets/no-secrets': ['error', { tolerance: 4.5 }],
      'no-restricted-syntax': ['error', ...RESTRICTED],
    },
  },
];

/**
 * Builds an ESLint instance whose warnings about the repository's own ESLint setup are dropped. ESLint 9
 * warns on `process` (printed on the user's terminal) when `<cwd>/.eslintignore` exists, although this
 * inline config ignores the repository's config and ignore files. The instance keeps the filter: ESLint's
 * WarningService captures `process.emitWarning` when it is constructed (eslint 9.x,
 * lib/services/warning-service.js). Every other warning still goes through.
 */
function withoutRepositoryConfigWarnings(make: () => ESLint): ESLint {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
    if (type === 'ESLintIgnoreWarning') return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

/** Security linter with a warm ESLint instance (the inline config; no repository code runs). */
export class SecurityLinter {
  private eslint: ESLint | undefined;
  /** Base findings across validations: these rules read one file alone, so its base text decides them. */
  private readonly baseCache = new BaseLintCache();
  constructor(private readonly ws: Workspace) {}

  private engine(): ESLint {
    // noInlineConfig above: an edit cannot silence these rules with an eslint-disable comment.
    return (this.eslint ??= withoutRepositoryConfigWarnings(() => new ESLint({ cwd: this.ws.root, overrideConfigFile: true, overrideConfig: SECURITY_CONFIG, errorOnUnmatchedPattern: false })));
  }

  /**
   * Loads the parser and plugins now (≈ 0.3 s on the first lint otherwise; measured on remeda's first
   * validation after prewarm, 2026-12-02) by linting an empty module. Never throws.
   */
  async warm(): Promise<void> {
    try {
      await this.engine().lintText('', { filePath: this.ws.abs('__patchloop_warm__.ts'), warnIgnored: false });
    } catch {
      // a broken environment surfaces on the first validation
    }
  }

  async validate(input: ValidationInput): Promise<Finding[]> {
    const files = input.touchedFiles.filter((f) => SCRIPT_EXT.test(f));
    const found = await lintNew(inProcessEngine(this.engine()), this.ws, files, 'security', (m, at) => {
      if (m.ruleId === 'no-secrets/no-secrets' && m.messageId === 'HIGH_ENTROPY') {
        const token = /: "([\s\S]*)"$/.exec(m.message)?.[1] ?? '';
        if (isEntropyNoise(at.file, at.text, m.line, m.column, token)) return undefined;
      }
      const tagged = /^\[(security\/[a-z-]+)\] (.*?)(?:; (.*))?$/.exec(m.message);
      if (m.ruleId === 'no-restricted-syntax' && tagged) return { rule: tagged[1]!, message: tagged[2]!, suggestion: tagged[3] };
      const rule = m.ruleId!.startsWith('security/') || m.ruleId!.startsWith('no-secrets/') ? m.ruleId! : `security/${m.ruleId}`;
      return { rule, message: m.message };
    }, { store: this.baseCache, context: () => '' });
    // Known key formats: every touched file, any extension, comments and tests included.
    const keys: Finding[] = [];
    for (const file of input.touchedFiles) {
      const text = this.ws.text(file);
      if (text !== undefined && !text.includes('\u0000')) keys.push(...newSecretFindings(file, text, await this.ws.base.read(file)));
    }
    // no-secrets' own patterns find some of the same keys: one finding per line, the precise one.
    const keyLines = new Set(keys.map((f) => `${f.file}:${f.line}`));
    found.push(...keys);
    // Two selectors can match one construct (query call + SQL template): one finding per line and rule.
    const seen = new Set<string>();
    return found.filter((f) => !(f.rule === 'no-secrets/no-secrets' && keyLines.has(`${f.file}:${f.line}`))).filter((f) => !seen.has(`${f.file}:${f.line}:${f.rule}`) && !!seen.add(`${f.file}:${f.line}:${f.rule}`));
  }
}
