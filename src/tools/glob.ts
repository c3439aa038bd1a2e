/**
 * A small glob matcher for repo-relative POSIX paths: `*` (any run of characters but `/`), `**`
 * (any number of directories), `?`, `{a,b}` alternation and `[abc]` classes. A pattern without a
 * `/` matches the file's base name anywhere (`*.ts` finds every TypeScript file), as in .gitignore.
 * Own code rather than `path.matchesGlob`, which prints an ExperimentalWarning on Node 20.
 */

/** Compiles `pattern` to a predicate over repo-relative POSIX paths. */
export function globMatcher(pattern: string): (relPath: string) => boolean {
  const p = pattern.replace(/^\.\//, '');
  const re = new RegExp(`^${globToRegexSource(p)}$`);
  if (!p.includes('/')) return (rel) => re.test(rel.slice(rel.lastIndexOf('/') + 1));
  return (rel) => re.test(rel);
}

function globToRegexSource(glob: string): string {
  let out = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` = zero or more directories; a trailing `**` = anything.
        if (glob[i + 2] === '/') {
          out += '(?:[^/]*/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      inBraces++;
      out += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      out += ')';
    } else if (c === ',' && inBraces > 0) out += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else out += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  return out;
}
