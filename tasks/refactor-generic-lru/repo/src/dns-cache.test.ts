import { describe, expect, it } from 'vitest';
import { DnsCache } from './dns-cache';

describe('dns cache', () => {
  it('resolves once per host, case-insensitively', async () => {
    const asked: string[] = [];
    const cache = new DnsCache(async (host) => {
      asked.push(host);
      return ['10.0.0.1', '10.0.0.2'];
    });
    expect(await cache.lookup('API.example.com')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(await cache.lookup('api.example.com')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(asked).toEqual(['api.example.com']);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('does not cache failed lookups', async () => {
    const cache = new DnsCache(async () => []);
    await expect(cache.lookup('nope.invalid')).rejects.toThrow('no addresses for nope.invalid');
    await expect(cache.lookup('nope.invalid')).rejects.toThrow();
    expect(cache.misses).toBe(2);
  });
});
