import { TokenBucket, type BucketOptions } from './token-bucket'

export interface RegistryOptions extends BucketOptions {
  /** Most keys tracked at once; the least recently used key is forgotten beyond this. */
  maxKeys: number
}

/** One bucket per client key (API token, IP), created on first use. */
export class LimiterRegistry {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(private readonly options: RegistryOptions) {}

  allow(key: string, cost = 1): boolean {
    let bucket = this.buckets.get(key)
    if (bucket) {
      this.buckets.delete(key)
    } else {
      bucket = new TokenBucket(this.options)
    }
    this.buckets.set(key, bucket)
    if (this.buckets.size > this.options.maxKeys) {
      const oldest = this.buckets.keys().next().value as string
      this.buckets.delete(oldest)
    }
    return bucket.tryTake(cost)
  }

  get size(): number {
    return this.buckets.size
  }
}
