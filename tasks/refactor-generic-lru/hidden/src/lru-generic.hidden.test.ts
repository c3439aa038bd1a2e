import { describe, expect, it } from 'vitest';
import { DnsCache } from './dns-cache';
import { LruCache } from './lru';
import { SessionStore } from './session-store';

describe('generic LruCache', () => {
  it('stores any value by reference with non-string keys', () => {
    const cache = new LruCache<number, { n: number }>(2);
    const one = { n: 1 };
    cache.set(1, one);
    cache.set(2, { n: 2 });
    expect(cache.get(1)).toBe(one);
    cache.set(3, { n: 3 });
    expect(cache.keys()).toEqual([1, 3]);
  });

  it('can cache falsy values such as 0 and empty strings', () => {
    const cache = new LruCache<string, number | string>(3);
    cache.set('zero', 0);
    cache.set('empty', '');
    expect(cache.get('zero')).toBe(0);
    expect(cache.get('empty')).toBe('');
  });

  it('session store keeps the session object itself (no JSON round trip)', () => {
    const store = new SessionStore(4, () => 0);
    const session = { userId: 'u', scopes: [], expiresAt: 10 };
    store.put('t', session);
    expect(store.get('t')).toBe(session);
  });

  it('dns cache returns the cached address list without re-splitting', async () => {
    const cache = new DnsCache(async () => ['fe80::1', '10.0.0.1']);
    const first = await cache.lookup('h');
    expect(await cache.lookup('h')).toBe(first);
  });
});
