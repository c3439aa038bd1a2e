import { StringLru } from './lru';

export type Resolver = (host: string) => Promise<string[]>;

/** Caches resolved addresses per host name (case-insensitive). Failed lookups are not cached. */
export class DnsCache {
  private readonly cache: StringLru;
  hits = 0;
  misses = 0;

  constructor(
    private readonly resolve: Resolver,
    capacity = 256,
  ) {
    this.cache = new StringLru(capacity);
  }

  async lookup(host: string): Promise<string[]> {
    const key = host.toLowerCase();
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached.split(',');
    }
    this.misses++;
    const addresses = await this.resolve(key);
    if (addresses.length === 0) throw new Error(`no addresses for ${host}`);
    this.cache.set(key, addresses.join(','));
    return addresses;
  }
}
