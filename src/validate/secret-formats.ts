/**
 * Credentials in a known format block wherever they appear (code, comments, URLs, test fixtures,
 * JSON, `.env`): a real key has a recognisable shape, so this check needs no entropy guess.
 * High-entropy text without such a shape (hashes, benchmark URLs, fixture data) is left to the
 * entropy rule, which ignores comments, URLs and test files (see `isEntropyNoise`).
 *
 * Formats, from each vendor's documentation (checked 2026-12):
 * - AWS access key ids: `AKIA` (long-term) / `ASIA` (temporary) + 16 upper-case alphanumerics
 *   (AWS IAM user guide, "Understanding unique ID prefixes").
 * - GitHub tokens: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 base62; fine-grained `github_pat_`
 *   + 82 characters (GitHub docs, "About authentication to GitHub", token formats, 2021-04 / 2022-10).
 * - Anthropic API keys: `sk-ant-` (e.g. `sk-ant-api03-…`) (Anthropic console docs).
 * - OpenAI API keys: `sk-proj-…`, `sk-svcacct-…`, `sk-admin-…`, legacy `sk-` + 48 (OpenAI platform docs).
 * - Slack tokens: `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxo-` (Slack API docs, "Token types").
 * - Private keys: PEM `-----BEGIN … PRIVATE KEY-----` (RFC 7468 §10–11; OpenSSH's own header).
 */
import { newFindings } from './base.ts';
import type { Finding } from './types.ts';

export const SECRET_FORMATS: { rule: string; what: string; re: RegExp }[] = [
  { rule: 'security/aws-access-key', what: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { rule: 'security/github-token', what: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { rule: 'security/anthropic-key', what: 'an Anthropic API key', re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { rule: 'security/openai-key', what: 'an OpenAI API key', re: /\bsk-(?!ant-)(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,})/g },
  { rule: 'security/slack-token', what: 'a Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { rule: 'security/private-key', what: 'a private key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
];

const FIX = 'remove it from the source and read it from the environment or a secret store (and revoke it if it was real)';

/** Every known-format credential in `text`, as findings on `file` (1-based line and column). */
export function scanSecretFormats(file: string, text: string): Finding[] {
  const out: Finding[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const { rule, what, re } of SECRET_FORMATS) {
    for (const m of text.matchAll(re)) {
      const l = lineOf(m.index);
      out.push({ validator: 'security', file, line: l + 1, column: m.index - lineStarts[l]! + 1, rule, severity: 'error', message: `${what} is written in the file (${m[0].slice(0, 12)}…)`, suggestion: FIX });
    }
  }
  return out;
}

/** New known-format credentials in `file` relative to its base text (undefined = new file). */
export function newSecretFindings(file: string, text: string, baseText: string | undefined): Finding[] {
  const current = scanSecretFormats(file, text);
  if (current.length === 0) return [];
  return newFindings(current, baseText === undefined ? [] : scanSecretFormats(file, baseText));
}

/** Test files and fixtures: data there is deliberately odd (hashes, sample tokens, long URLs). */
export const TEST_PATH = /(^|\/)(__tests__|__fixtures__|fixtures?|test|tests|spec|__mocks__)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/**
 * True when an entropy-only finding (no-secrets HIGH_ENTROPY) is noise: the flagged token sits in a
 * comment (ESLint reports a comment at its `//` or `/*`), is a URL, or the file is a test/fixture.
 */
export function isEntropyNoise(file: string, text: string, line: number, column: number, token: string): boolean {
  if (TEST_PATH.test(file)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(token) || /^www\./i.test(token)) return true;
  const lineText = text.split('\n')[line - 1] ?? '';
  const at = lineText.slice(Math.max(0, column - 1));
  return at.startsWith('//') || at.startsWith('/*');
}
