/**
 * Failing tests for ci-fix, from a vitest JSON report, a JUnit XML report (fast-xml-parser), or a
 * run of the test command in the sandbox. Reports are untrusted input: file paths are mapped onto
 * files git tracks in the repository, and anything that maps to none is dropped from the lock list.
 */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { UsageError } from '../errors.ts';
import { parseVitestJson, splitFailure } from '../sandbox/vitest-report.ts';
import type { TestCaseResult } from '../sandbox/types.ts';

/**
 * Failed cases of a vitest JSON report file (`--reporter=json --outputFile=…`).
 * @throws UsageError `bad_report` when the file is missing or not a vitest JSON report.
 */
export function failuresFromVitestJson(file: string, root: string): TestCaseResult[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError('bad_report', `--report ${file}: cannot read it (${(err as Error).message}); pass the file vitest wrote with --reporter=json --outputFile=<file>`, err);
  }
  try {
    return parseVitestJson(text, root).filter((t) => t.status === 'failed');
  } catch (err) {
    throw new UsageError('bad_report', `--report ${file}: not a vitest JSON report (${(err as Error).message}); for JUnit XML use --junit`, err);
  }
}

type XmlNode = Record<string, unknown>;

/** XML's five predefined entities and numeric references; DOCTYPE entities are never expanded. */
export function decodeXml(s: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e[0] !== '#') return named[e]!;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
}
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Failed cases (`<failure>` or `<error>`) of a JUnit XML report. The test file is the case's `file`
 * attribute, else its `classname` when it looks like a path, else the suite's `file`/`name`.
 * @throws UsageError `bad_report` when the file is missing or has no `<testsuite>`.
 */
export function failuresFromJUnit(file: string, root: string): TestCaseResult[] {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError('bad_report', `--junit ${file}: cannot read it (${(err as Error).message})`, err);
  }
  // No entity expansion: the report is untrusted (billion-laughs style input).
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: false, textNodeName: '#text' });
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (err) {
    throw new UsageError('bad_report', `--junit ${file}: not well-formed XML (${(err as Error).message})`, err);
  }
  const suites = [...asArray(doc['testsuite'] as XmlNode | XmlNode[]), ...asArray((doc['testsuites'] as XmlNode | undefined)?.['testsuite'] as XmlNode | XmlNode[])];
  if (suites.length === 0) throw new UsageError('bad_report', `--junit ${file}: no <testsuite> element; pass a JUnit XML report (e.g. vitest --reporter=junit)`);
  const out: TestCaseResult[] = [];
  const looksLikePath = (s: unknown): s is string => typeof s === 'string' && /[/\\]|\.[cm]?[jt]sx?$/.test(s);
  for (const suite of suites) {
    for (const tc of asArray(suite['testcase'] as XmlNode | XmlNode[])) {
      const bad = asArray((tc['failure'] ?? tc['error']) as XmlNode | string | (XmlNode | string)[])[0];
      if (bad === undefined) continue;
      const fileAttr = decodeXml([tc['file'], tc['classname'], suite['file'], suite['name']].find(looksLikePath) ?? '(unknown)');
      const rel = fileAttr.startsWith(root + '/') ? fileAttr.slice(root.length + 1) : fileAttr;
      const fullName = decodeXml(String(tc['name'] ?? '(unnamed)'));
      const text = decodeXml(typeof bad === 'string' ? bad : [bad['message'], bad['#text']].filter((x) => typeof x === 'string').join('\n'));
      out.push({ id: `${rel}::${fullName}`, file: rel, fullName, status: 'failed', ...splitFailure(text || 'failed', root) });
    }
  }
  return out;
}

/**
 * Maps report paths (maybe absolute, from another machine) onto git-tracked repo-relative files:
 * exact match first, else the tracked file the path ends with. Cases naming no tracked file keep
 * their path for the task text but are left out of `lockedFiles`.
 */
export function mapToTracked(failures: TestCaseResult[], tracked: string[]): { failures: TestCaseResult[]; lockedFiles: string[] } {
  const set = new Set(tracked);
  const locked = new Set<string>();
  const mapped = failures.map((f) => {
    const p = f.file.replace(/\\/g, '/');
    const hit = set.has(p) ? p : tracked.filter((t) => p.endsWith(`/${t}`)).sort((a, b) => b.length - a.length)[0];
    if (!hit) return f;
    locked.add(hit);
    return { ...f, file: hit, id: `${hit}::${f.fullName}` };
  });
  return { failures: mapped, lockedFiles: [...locked].sort() };
}
