import { matchGlob } from "./glob"

export interface IgnoreRule {
  pattern: string
  /** `!pattern` re-includes what an earlier rule ignored. */
  negate: boolean
}

/** Parses a .deployignore file: one glob per line, `#` comments, `!` negation. */
export function parseIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === "" || line.startsWith("#")) continue
    const negate = line.startsWith("!")
    let pattern = negate ? line.slice(1) : line
    // like .gitignore: "dist/" means everything below dist, a bare name matches at any depth
    if (pattern.endsWith("/")) pattern += "**"
    if (!pattern.includes("/")) pattern = `**/${pattern}`
    rules.push({ pattern: pattern.replace(/^\//, ""), negate })
  }
  return rules
}

/** The last matching rule wins. */
export function isIgnored(path: string, rules: IgnoreRule[]): boolean {
  let ignored = false
  for (const rule of rules) {
    if (matchGlob(path, rule.pattern)) ignored = !rule.negate
  }
  return ignored
}
