import { describe, expect, it } from 'vitest';
import { shortestRoute, type Graph } from './routes';

const roads: Graph = {
  depot: { a: 4, b: 1.5 },
  b: { a: 2, c: 7.25 },
  a: { c: 3 },
  c: {},
};

describe('routing', () => {
  it('finds the shortest route, not the one with fewest hops', () => {
    expect(shortestRoute(roads, 'depot', 'c')).toEqual({ path: ['depot', 'b', 'a', 'c'], km: 6.5 });
  });

  it('returns null for unreachable or unknown places', () => {
    expect(shortestRoute(roads, 'c', 'depot')).toBeNull();
    expect(shortestRoute(roads, 'depot', 'nowhere')).toBeNull();
  });
});
