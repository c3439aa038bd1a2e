import { MinHeap } from './heap';

/** Adjacency with edge lengths in km: `graph[a][b]` is the road from a to b. */
export type Graph = Record<string, Record<string, number>>;

export interface Route {
  path: string[];
  km: number;
}

// The heap only holds numbers, so (distance, node) is packed into one:
// distance in whole metres × SLOTS + node index. Supports up to SLOTS nodes.
const SLOTS = 10_000;

/** Dijkstra from `from` to `to`; null when `to` is unreachable. */
export function shortestRoute(graph: Graph, from: string, to: string): Route | null {
  const nodes = [...new Set([...Object.keys(graph), ...Object.values(graph).flatMap((e) => Object.keys(e))])];
  const index = new Map(nodes.map((n, i) => [n, i]));
  if (!index.has(from) || !index.has(to)) return null;
  const dist = new Map<string, number>([[from, 0]]);
  const prev = new Map<string, string>();
  const heap = new MinHeap();
  heap.push(index.get(from) as number);
  while (heap.size > 0) {
    const packed = heap.pop() as number;
    const node = nodes[packed % SLOTS];
    const km = Math.floor(packed / SLOTS) / 1000;
    if (km > (dist.get(node) as number)) continue; // stale entry
    if (node === to) break;
    for (const [next, length] of Object.entries(graph[node] ?? {})) {
      const candidate = km + length;
      if (candidate < (dist.get(next) ?? Infinity)) {
        dist.set(next, candidate);
        prev.set(next, node);
        heap.push(Math.round(candidate * 1000) * SLOTS + (index.get(next) as number));
      }
    }
  }
  if (!dist.has(to)) return null;
  const path = [to];
  while (path[0] !== from) path.unshift(prev.get(path[0]) as string);
  return { path, km: dist.get(to) as number };
}
