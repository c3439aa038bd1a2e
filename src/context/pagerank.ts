/**
 * Personalised PageRank over a weighted directed graph (pure). The random surfer follows an edge
 * with probability `damping` and otherwise jumps back to a node drawn from the personalisation
 * vector, so rank concentrates on the nodes the task points at and on what they reference.
 * Method: Page, Brin et al. 1998; personalisation as in Haveliwala 2002 ("Topic-sensitive PageRank");
 * aider's repo map (2023) uses the same idea on a tag graph.
 */

/** Probability of following an edge rather than jumping back to the personalisation (0–1). */
export const DEFAULT_DAMPING = 0.6;
/** Power iterations; the L1 change after 40 steps at damping 0.6 is below 0.6^40 ≈ 1e-9. */
export const PAGERANK_ITERATIONS = 40;

export interface WeightedEdge {
  from: string;
  to: string;
  /** Relative weight (> 0) among the edges leaving `from`. */
  weight: number;
}

/**
 * Ranks `nodes`. `personalization` need not be normalised; nodes missing from it get 0; when it sums
 * to 0 every node gets the same share (plain PageRank). Dangling nodes jump to the personalisation.
 *
 * @returns node → rank, summing to 1 (an empty map for no nodes).
 */
export function personalizedPageRank(
  nodes: readonly string[],
  edges: readonly WeightedEdge[],
  personalization: ReadonlyMap<string, number>,
  opts: { damping?: number; iterations?: number } = {},
): Map<string, number> {
  const damping = opts.damping ?? DEFAULT_DAMPING;
  const n = nodes.length;
  if (n === 0) return new Map();
  const index = new Map(nodes.map((node, i) => [node, i]));
  let p = nodes.map((node) => Math.max(0, personalization.get(node) ?? 0));
  const pSum = p.reduce((a, b) => a + b, 0);
  p = pSum > 0 ? p.map((x) => x / pSum) : p.map(() => 1 / n);
  const out: { to: number; w: number }[][] = nodes.map(() => []);
  for (const e of edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from === undefined || to === undefined || from === to || !(e.weight > 0)) continue;
    out[from]!.push({ to, w: e.weight });
  }
  const outSum = out.map((list) => list.reduce((a, e) => a + e.w, 0));
  let rank = [...p];
  for (let it = 0; it < (opts.iterations ?? PAGERANK_ITERATIONS); it++) {
    const next = p.map((x) => (1 - damping) * x);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      if (outSum[i] === 0) dangling += rank[i]!;
      else for (const e of out[i]!) next[e.to]! += (damping * rank[i]! * e.w) / outSum[i]!;
    }
    for (let i = 0; i < n; i++) next[i]! += damping * dangling * p[i]!;
    rank = next;
  }
  return new Map(nodes.map((node, i) => [node, rank[i]!]));
}
