import { describe, expect, it } from 'vitest';
import { MinHeap } from './heap';

describe('heap ordering', () => {
  it('pops values smallest first', () => {
    const heap = new MinHeap();
    for (const v of [5, 3, 8, 1, 9, 2, 2]) heap.push(v);
    expect(heap.size).toBe(7);
    expect(heap.peek()).toBe(1);
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop() as number);
    expect(out).toEqual([1, 2, 2, 3, 5, 8, 9]);
    expect(heap.pop()).toBeUndefined();
  });
});
