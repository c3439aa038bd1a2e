import { describe, expect, it } from 'vitest';
import { StringLru } from './lru';

describe('lru eviction', () => {
  it('evicts the least recently used entry', () => {
    const lru = new StringLru(2);
    lru.set('a', '1');
    lru.set('b', '2');
    expect(lru.get('a')).toBe('1');
    lru.set('c', '3');
    expect(lru.keys()).toEqual(['a', 'c']);
    expect(lru.get('b')).toBeUndefined();
  });

  it('re-setting a key refreshes it without growing', () => {
    const lru = new StringLru(2);
    lru.set('a', '1');
    lru.set('b', '2');
    lru.set('a', '9');
    expect(lru.size).toBe(2);
    expect(lru.keys()).toEqual(['b', 'a']);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new StringLru(0)).toThrow(RangeError);
  });
});
