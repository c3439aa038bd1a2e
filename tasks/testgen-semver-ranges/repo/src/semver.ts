export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated pre-release identifiers; numeric ones as numbers. Empty for a release. */
  prerelease: Array<string | number>;
}

const PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses `1.2.3`, `v1.2.3-beta.1+build.5`. Build metadata is ignored. Throws on anything else. */
export function parse(version: string): SemVer {
  const m = PATTERN.exec(version.trim());
  if (!m) throw new Error(`invalid version "${version}"`);
  const prerelease = m[4] ? m[4].split(".").map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease };
}

function compareIds(a: Array<string | number>, b: Array<string | number>): number {
  // A release sorts after any of its pre-releases.
  if (a.length === 0 || b.length === 0) {
    if (a.length === b.length) return 0;
    return a.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x < y ? -1 : 1;
    // Numeric identifiers have lower precedence than alphanumeric ones.
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** -1, 0 or 1 by semver precedence. */
export function compare(a: string, b: string): -1 | 0 | 1 {
  const x = parse(a);
  const y = parse(b);
  for (const key of ["major", "minor", "patch"] as const) {
    if (x[key] !== y[key]) return x[key] < y[key] ? -1 : 1;
  }
  return Math.sign(compareIds(x.prerelease, y.prerelease)) as -1 | 0 | 1;
}

/** Upper bound (exclusive) of a caret range: the next version that changes the left-most non-zero part. */
function caretCeiling(v: SemVer): string {
  if (v.major > 0) return `${v.major + 1}.0.0`;
  if (v.minor > 0) return `0.${v.minor + 1}.0`;
  return `0.0.${v.patch + 1}`;
}

/**
 * Does `version` satisfy `range`? Supports `^x.y.z`, `~x.y.z`, `>=x.y.z`, `<x.y.z` and exact
 * versions. Pre-releases only match a range whose bound has the same major.minor.patch.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  const op = /^(\^|~|>=|<)?(.*)$/.exec(range.trim())!;
  const bound = parse(op[2]);
  if (v.prerelease.length > 0) {
    const sameTuple = v.major === bound.major && v.minor === bound.minor && v.patch === bound.patch;
    if (!sameTuple || bound.prerelease.length === 0) return false;
  }
  switch (op[1]) {
    case "^":
      return compare(version, op[2]) >= 0 && compare(version, caretCeiling(bound)) < 0;
    case "~":
      return compare(version, op[2]) >= 0 && compare(version, `${bound.major}.${bound.minor + 1}.0`) < 0;
    case ">=":
      return compare(version, op[2]) >= 0;
    case "<":
      return compare(version, op[2]) < 0;
    default:
      return compare(version, op[2]) === 0;
  }
}

/** The highest of `versions` satisfying `range`, or null. */
export function maxSatisfying(versions: string[], range: string): string | null {
  let best: string | null = null;
  for (const v of versions) {
    if (satisfies(v, range) && (best === null || compare(v, best) > 0)) best = v;
  }
  return best;
}
