import { compare, maxSatisfying, parse } from "./semver";

export interface Dependency {
  name: string;
  range: string;
  installed: string;
}

export interface Upgrade {
  name: string;
  from: string;
  to: string;
  kind: "major" | "minor" | "patch";
}

function kindOf(from: string, to: string): Upgrade["kind"] {
  const a = parse(from);
  const b = parse(to);
  if (a.major !== b.major) return "major";
  return a.minor !== b.minor ? "minor" : "patch";
}

/** In-range upgrades available for each dependency, given the published versions per package. */
export function planUpgrades(deps: Dependency[], published: Record<string, string[]>): Upgrade[] {
  const out: Upgrade[] = [];
  for (const dep of deps) {
    const target = maxSatisfying(published[dep.name] ?? [], dep.range);
    if (target && compare(target, dep.installed) > 0) {
      out.push({ name: dep.name, from: dep.installed, to: target, kind: kindOf(dep.installed, target) });
    }
  }
  return out;
}
