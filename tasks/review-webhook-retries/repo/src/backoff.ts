export interface BackoffOptions {
    baseMs: number;
    capMs: number;
    /** Returns a factor in [0, 1) for "full jitter"; omit for deterministic delays. */
    jitter?: () => number;
}

/** Delay in ms before retry number `retry` (1 = first retry): base × 2^(retry-1), capped. */
export function backoffDelay(retry: number, options: BackoffOptions): number {
    const exponential = Math.min(options.capMs, options.baseMs * 2 ** (retry - 1));
    return options.jitter ? Math.round(exponential * options.jitter()) : exponential;
}

/** Timeouts, rate limits and server errors are worth another try; other 4xx are not. */
export function isRetryable(status: number): boolean {
    return status === 408 || status === 429 || status >= 500;
}
