/**
 * Where an issue comes from: `owner/repo#123`, an issue URL (github.com or an Enterprise host), or a
 * local markdown file (title = first `# ` heading, body = the rest; nothing is published then).
 */
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import type { IssueData, RepoRef } from './client.ts';

export type IssueSource = { kind: 'github'; repo: RepoRef; number: number } | { kind: 'file'; path: string };

const NAME = '[A-Za-z0-9_.-]+';

/**
 * Parses the `issue` command's argument.
 * @throws UsageError `bad_issue_ref` naming the accepted forms.
 */
export function parseIssueRef(arg: string): IssueSource {
  const short = arg.match(new RegExp(`^(${NAME})/(${NAME})#(\\d+)$`));
  if (short) return { kind: 'github', repo: { owner: short[1]!, repo: short[2]! }, number: Number(short[3]) };
  const url = arg.match(new RegExp(`^https?://[^/]+/(${NAME})/(${NAME})/issues/(\\d+)(?:[/?#].*)?$`));
  if (url) return { kind: 'github', repo: { owner: url[1]!, repo: url[2]! }, number: Number(url[3]) };
  if (/\.(md|markdown|txt)$/i.test(arg) && existsSync(arg)) return { kind: 'file', path: arg };
  throw new UsageError('bad_issue_ref', `issue "${arg}": use owner/repo#123, an issue URL (https://github.com/owner/repo/issues/123) or a local issue.md file`);
}

/** Parses `owner/repo` (e.g. from `--github-repo` or GITHUB_REPOSITORY). @throws UsageError `bad_repo` */
export function parseRepoSlug(slug: string, flag: string): RepoRef {
  const m = slug.match(new RegExp(`^(${NAME})/(${NAME})$`));
  if (!m) throw new UsageError('bad_repo', `${flag} "${slug}": expected owner/repo`);
  return { owner: m[1]!, repo: m[2]! };
}

/** Reads a local issue file as an issue numbered 0 (no labels, no comments). */
export function readIssueFile(file: string): IssueData {
  const text = readFileSync(file, 'utf8');
  const heading = text.match(/^#\s+(.+)$/m);
  const title = heading ? heading[1]!.trim() : file;
  const body = heading ? text.replace(heading[0], '').trim() : text.trim();
  return { number: 0, title, body, labels: [], url: file, comments: [] };
}
