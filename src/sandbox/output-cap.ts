/**
 * Keeps the head and the tail of a stream and counts what was dropped in between, so a command
 * printing 200 MB costs a bounded amount of memory and the report still shows how it started and ended.
 */

/** Default cap on captured stdout+stderr: 1 MB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

export class OutputCap {
  private readonly headMax: number;
  private readonly tailMax: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  /** Total bytes seen. */
  total = 0;

  /** @param maxBytes bytes kept in all (half head, half tail); must be ≥ 2 */
  constructor(maxBytes: number) {
    if (!Number.isFinite(maxBytes) || maxBytes < 2) throw new Error(`OutputCap: maxBytes must be ≥ 2, got ${maxBytes}`);
    this.headMax = Math.floor(maxBytes / 2);
    this.tailMax = maxBytes - this.headMax;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headMax) {
      const take = Math.min(this.headMax - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    // Copy: the tail outlives the chunk and must not pin large pipe buffers.
    this.tail.push(Buffer.from(rest.length > this.tailMax ? rest.subarray(rest.length - this.tailMax) : rest));
    this.tailBytes += Math.min(rest.length, this.tailMax);
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailMax) {
      this.tailBytes -= this.tail.shift()!.length;
    }
  }

  /** Bytes dropped from the middle. */
  get bytesCut(): number {
    return this.total - this.headBytes - Math.min(this.tailBytes, this.tailMax);
  }

  /** The kept text; a marker line says how much was cut. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailMax) tail = tail.subarray(tail.length - this.tailMax);
    const cut = this.bytesCut;
    if (cut === 0) return head + tail.toString('utf8');
    return `${head}\n[… ${cut} bytes cut by the sandbox output cap …]\n${tail.toString('utf8')}`;
  }

  /** Last `n` characters of the kept text (for pattern matching). */
  tailText(n = 4096): string {
    const t = this.text();
    return t.length > n ? t.slice(t.length - n) : t;
  }
}
