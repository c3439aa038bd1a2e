/** Regex metacharacters that are literal in a glob. */
const SPECIAL = /[.+^$()|\\]/

/**
 * Compiles a glob to an anchored RegExp over forward-slash paths.
 * `*` and `?` never cross a `/`; `**` does, and `**\/` also matches zero directories;
 * `[abc]`, `[!abc]` and `{a,b}` work as in shells. Throws on an unclosed `[` or `{`.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = ""
  let inGroup = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        if (pattern[i + 2] === "/") {
          re += "(?:.*/)?"
          i += 2
        } else {
          re += ".*"
          i += 1
        }
      } else {
        re += "[^/]*"
      }
    } else if (c === "?") {
      re += "[^/]"
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 1)
      if (end === -1) throw new Error(`unclosed "[" in glob "${pattern}"`)
      const body = pattern.slice(i + 1, end).replace(/\\/g, "\\\\")
      re += body.startsWith("!") ? `[^/${body.slice(1)}]` : `[${body}]`
      i = end
    } else if (c === "{") {
      if (inGroup) throw new Error(`nested "{" in glob "${pattern}"`)
      inGroup = true
      re += "(?:"
    } else if (c === "}" && inGroup) {
      inGroup = false
      re += ")"
    } else if (c === "," && inGroup) {
      re += "|"
    } else {
      re += SPECIAL.test(c) ? `\\${c}` : c
    }
  }
  if (inGroup) throw new Error(`unclosed "{" in glob "${pattern}"`)
  return new RegExp(`^${re}$`)
}

const cache = new Map<string, RegExp>()

/** Does `path` (relative, forward slashes, optional leading `./`) match `pattern`? */
export function matchGlob(path: string, pattern: string): boolean {
  let re = cache.get(pattern)
  if (!re) {
    re = globToRegExp(pattern)
    cache.set(pattern, re)
  }
  return re.test(path.replace(/^\.\//, ""))
}

export interface PathFilter {
  /** Keep paths matching any of these; empty means keep everything. */
  include?: string[]
  /** Drop paths matching any of these, even when included. */
  exclude?: string[]
}

export function filterPaths(paths: string[], filter: PathFilter): string[] {
  const include = filter.include ?? []
  const exclude = filter.exclude ?? []
  return paths.filter(
    (p) =>
      (include.length === 0 || include.some((g) => matchGlob(p, g))) &&
      !exclude.some((g) => matchGlob(p, g)),
  )
}
