import { describe, expect, it } from 'vitest';
import { PriorityQueue } from './heap';
import { shortestRoute } from './routes';

describe('generic PriorityQueue', () => {
  it('orders arbitrary items by the comparator', () => {
    const q = new PriorityQueue<{ name: string; rank: number }>((a, b) => a.rank - b.rank);
    for (const [name, rank] of [['c', 3], ['a', 1], ['d', 4], ['b', 2]] as const) q.push({ name, rank });
    expect(q.peek()).toEqual({ name: 'a', rank: 1 });
    const out: string[] = [];
    while (q.size > 0) out.push(q.pop()!.name);
    expect(out).toEqual(['a', 'b', 'c', 'd']);
    expect(q.pop()).toBeUndefined();
  });

  it('works as a max-heap with a reversed comparator', () => {
    const q = new PriorityQueue<number>((a, b) => b - a);
    [4, 9, 1, 7].forEach((n) => q.push(n));
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([9, 7, 4, 1]);
  });

  it('routes on sub-metre distances without packing them into numbers', () => {
    const graph = { s: { x: 0.0006, t: 0.5 }, x: { t: 0.0001 } };
    const route = shortestRoute(graph, 's', 't');
    expect(route?.path).toEqual(['s', 'x', 't']);
    expect(route?.km).toBeCloseTo(0.0007, 10);
  });
});
