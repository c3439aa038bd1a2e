/**
 * Counting semaphore: at most `limit` holders at once; the others wait in FIFO order.
 * Throws RangeError when `limit` is not a positive integer.
 */
export class Semaphore {
    private readonly waiting: (() => void)[] = [];
    private active = 0;

    constructor(readonly limit: number) {
        if (!Number.isInteger(limit) || limit < 1) {
            throw new RangeError(`limit must be a positive integer, got ${limit}`);
        }
    }

    /** Number of callers currently waiting for a slot. */
    get pending(): number {
        return this.waiting.length;
    }

    /** Resolves with a release function once a slot is free; call it exactly once. */
    async acquire(): Promise<() => void> {
        if (this.active < this.limit) {
            this.active++;
        } else {
            // The releasing holder hands its slot straight to us, so `active` stays the same.
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        }
        let released = false;
        return () => {
            if (released) return;
            released = true;
            const next = this.waiting.shift();
            if (next) next();
            else this.active--;
        };
    }

    /** Runs `task` while holding a slot. */
    async run<T>(task: () => Promise<T>): Promise<T> {
        const release = await this.acquire();
        try {
            return await task();
        } finally {
            release();
        }
    }
}
