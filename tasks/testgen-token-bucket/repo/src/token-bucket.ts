export interface BucketOptions {
  /** Maximum tokens held (burst size). */
  capacity: number
  /** Tokens added per second, continuously. */
  refillPerSec: number
  /** Clock in epoch ms; injected so tests control time. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

const realSleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Token bucket rate limiter. Starts full; refills continuously up to `capacity`. */
export class TokenBucket {
  readonly capacity: number
  readonly refillPerSec: number
  private tokens: number
  private last: number
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>

  constructor(options: BucketOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(
        `capacity must be a positive integer, got ${options.capacity}`,
      )
    }
    if (!(options.refillPerSec > 0)) {
      throw new RangeError(
        `refillPerSec must be > 0, got ${options.refillPerSec}`,
      )
    }
    this.capacity = options.capacity
    this.refillPerSec = options.refillPerSec
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? realSleep
    this.tokens = options.capacity
    this.last = this.now()
  }

  private refill(): void {
    const t = this.now()
    const elapsed = t - this.last
    if (elapsed <= 0) return
    this.tokens = Math.min(
      this.capacity,
      this.tokens + (elapsed / 1000) * this.refillPerSec,
    )
    this.last = t
  }

  /** Whole tokens available right now. */
  available(): number {
    this.refill()
    return Math.floor(this.tokens)
  }

  /** Takes `n` tokens if they are there; never waits. */
  tryTake(n = 1): boolean {
    if (n > this.capacity)
      throw new RangeError(
        `cannot take ${n} tokens from a bucket of ${this.capacity}`,
      )
    this.refill()
    if (this.tokens >= n) {
      this.tokens -= n
      return true
    }
    return false
  }

  /** Milliseconds until `n` tokens will be available (0 if they are now), rounded up. */
  msUntil(n = 1): number {
    this.refill()
    const missing = n - this.tokens
    return missing <= 0 ? 0 : Math.ceil((missing / this.refillPerSec) * 1000)
  }

  /** Waits until `n` tokens are available, then takes them. */
  async take(n = 1): Promise<void> {
    const wait = this.msUntil(n)
    if (wait > 0) await this.sleep(wait)
    if (!this.tryTake(n)) {
      throw new Error(
        `bucket: ${n} tokens still unavailable after waiting ${wait} ms`,
      )
    }
  }
}
