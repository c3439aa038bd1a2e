/** Personalised PageRank: mass follows the personalisation and the references out of it. */
import { describe, expect, it } from 'vitest';
import { personalizedPageRank } from '../../src/context/pagerank.ts';

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('personalizedPageRank', () => {
  const nodes = ['a', 'b', 'c', 'd'];
  const edges = [
    { from: 'a', to: 'b', weight: 1 },
    { from: 'b', to: 'c', weight: 1 },
    { from: 'd', to: 'c', weight: 1 },
  ];

  it('sums to 1 and ranks what the personalised node references above unrelated nodes', () => {
    const r = personalizedPageRank(nodes, edges, new Map([['a', 1]]));
    expect(sum(r)).toBeCloseTo(1, 9);
    expect(r.get('a')!).toBeGreaterThan(r.get('b')!);
    expect(r.get('b')!).toBeGreaterThan(r.get('d')!);
    expect(r.get('d')).toBe(0);
  });

  it('is plain PageRank when nothing is personalised, where the shared target wins', () => {
    const r = personalizedPageRank(nodes, edges, new Map());
    expect(sum(r)).toBeCloseTo(1, 9);
    expect(Math.max(...r.values())).toBe(r.get('c'));
  });

  it('moves rank with the personalisation (same graph, other task)', () => {
    const toA = personalizedPageRank(nodes, edges, new Map([['a', 1]]));
    const toD = personalizedPageRank(nodes, edges, new Map([['d', 1]]));
    expect(toD.get('d')!).toBeGreaterThan(toA.get('d')!);
    expect(toD.get('b')).toBe(0);
  });
});
