/**
 * The `repo.url` of a request, checked before anything is queued. The URL is untrusted and ends up
 * on a git command line, so only three shapes pass, each with a strict character set:
 * `https://host[:port]/seg/…/name[.git]`, `ssh://[git@]host[:port]/seg/…` and `git@host:seg/…`;
 * plain `http://` only for the hosts the server was started with (`--git-allow-http`). Refused:
 * credentials (`user:token@`), `file:`, `ext::` and every other transport, options (`-…`), `..`,
 * percent-escapes, query strings, whitespace and control characters. Its normalised form (lowercase
 * host, no `.git`, no trailing `/`) names the mirror's folder: `<host>[_<port>]/<seg>/…/<name>.git`.
 */
import { RequestError } from './repo-path.ts';

export interface RepoUrl {
  /** The URL as given (it passed the checks, so it is safe to hand to git as one argument). */
  url: string;
  scheme: 'https' | 'http' | 'ssh';
  /** Lowercase host name or IPv4 address. */
  host: string;
  port?: number;
  /** Path segments, the last without `.git`. */
  segments: string[];
  /** Folder of the mirror relative to `<state>/repos`, e.g. `github.com/acme/widget.git`. */
  mirrorPath: string;
}

/** Longest accepted URL, characters (the request schema has the same bound). */
export const MAX_URL_CHARS = 2048;
/** Most path segments (GitLab subgroups nest; nothing real nests deeper). */
const MAX_SEGMENTS = 10;
const HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** A path segment: no leading `.` or `-` (so no `..`, no option), no escapes. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._~-]{0,99}$/;
/** The only user an ssh URL may name: `git`, a login, not a credential. */
const SSH_USER = 'git';

const refuse = (url: string, why: string, fix: string) =>
  new RequestError('bad_repo_url', 400, `repo.url "${scrubUrl(url).slice(0, 200)}": ${why}; ${fix}`, 'repo.url');

/** Replaces any `user[:password]@` of a URL-like text with `***@`, for messages and logs. */
export function scrubUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}

/** `host` or `host:port` as `--git-allow-http` takes it, lowercased. @throws RequestError for a bad entry. */
export function normaliseHostPort(entry: string): string {
  const m = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry.trim());
  if (!m || !HOST.test(m[1]!.toLowerCase())) throw new RequestError('bad_allow_http', 400, `--git-allow-http "${entry}": expected host or host:port, e.g. git.internal:8080`);
  return m[2] ? `${m[1]!.toLowerCase()}:${Number(m[2])}` : m[1]!.toLowerCase();
}

/**
 * Checks and normalises a request's `repo.url`.
 * @param allowHttp `host` / `host:port` entries (normalised) for which plain http is allowed; a bare
 *   host allows its default port 80 only.
 * @throws RequestError 400 `bad_repo_url` naming `repo.url` and the fix.
 */
export function parseRepoUrl(url: string, allowHttp: readonly string[] = []): RepoUrl {
  const fix = 'submit https://host/owner/name, ssh://git@host/owner/name or git@host:owner/name';
  if (url.length > MAX_URL_CHARS) throw refuse(url, `longer than ${MAX_URL_CHARS} characters`, fix);
  if (/[\s\x00-\x1f\x7f\\%?#'"`$]/.test(url)) throw refuse(url, 'contains whitespace, a control character, a quote, "\\", "%", "?" or "#"', fix);
  if (url.startsWith('-') || url.includes('::') || /^file:/i.test(url)) throw refuse(url, 'only the https, ssh (and allowed http) transports are cloned; file:, ext:: and options are refused', fix);
  let scheme: RepoUrl['scheme'];
  let authority: string;
  let rest: string;
  const full = /^(https|http|ssh):\/\/([^/]*)\/(.*)$/i.exec(url);
  const scp = /^([^/:@]+)@([^/:]+):(.*)$/.exec(url);
  if (full) {
    scheme = full[1]!.toLowerCase() as RepoUrl['scheme'];
    authority = full[2]!;
    rest = full[3]!;
  } else if (scp && !url.includes('://')) {
    scheme = 'ssh';
    authority = `${scp[1]}@${scp[2]}`;
    rest = scp[3]!;
  } else {
    throw refuse(url, 'not a URL git may clone', fix);
  }
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const user = authority.slice(0, at);
    if (scheme !== 'ssh' || user !== SSH_USER) throw refuse(url, 'carries credentials or a user name', `remove them: the server clones without credentials (an ssh URL may name the user "${SSH_USER}" only)`);
    authority = authority.slice(at + 1);
  }
  const hp = /^([^:]+)(?::(\d{1,5}))?$/.exec(authority);
  const host = hp?.[1]?.toLowerCase() ?? '';
  if (!hp || !HOST.test(host)) throw refuse(url, `host "${authority}" is not a host name or IPv4 address`, fix);
  const port = hp[2] !== undefined ? Number(hp[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw refuse(url, `port ${port} is out of range`, fix);
  if (scheme === 'http') {
    const allowed = allowHttp.includes(port !== undefined ? `${host}:${port}` : host) || (port === 80 && allowHttp.includes(host));
    if (!allowed) throw refuse(url, `plain http is not allowed for ${port !== undefined ? `${host}:${port}` : host}`, 'use https, or start the server with --git-allow-http for this internal host');
  }
  const segments = rest.replace(/\/+$/, '').split('/');
  const last = segments.length - 1;
  segments[last] = segments[last]!.replace(/\.git$/i, '');
  if (segments.length > MAX_SEGMENTS || !segments.every((s) => SEGMENT.test(s))) {
    throw refuse(url, 'the path must be 1-10 segments of letters, digits, "_", ".", "~" or "-", none starting with "." or "-"', fix);
  }
  const hostDir = port !== undefined ? `${host}_${port}` : host;
  return { url, scheme, host, ...(port !== undefined ? { port } : {}), segments, mirrorPath: [hostDir, ...segments.slice(0, last), `${segments[last]}.git`].join('/') };
}

/**
 * Checks a `repo.ref` beyond the schema's character set: what git would read as a range, a reflog
 * selector or a lock file. @throws RequestError 400 `bad_repo_ref` naming `repo.ref`.
 */
export function checkRepoRef(ref: string): void {
  if (/\.\.|@\{|\/\/|\/$|\.$|\.lock$|\/\./.test(ref)) {
    throw new RequestError('bad_repo_ref', 400, `repo.ref "${ref}" is not a branch, tag or commit name git accepts; name a branch (main), a tag (v1.2.0) or a commit SHA`, 'repo.ref');
  }
}
