export interface PoolOptions {
    /** Maximum number of `fn` calls in flight at once; a positive integer. */
    concurrency: number;
    /** Aborting stops new calls from starting; the returned promise rejects with `signal.reason`. */
    signal?: AbortSignal;
}

/**
 * Maps `items` through the async `fn` with at most `concurrency` calls in flight, starting items in
 * input order. Resolves with the results in input order (not completion order).
 *
 * Fails fast: the first rejection rejects the returned promise and no further items are started
 * (calls already in flight are left to finish). An already-aborted signal rejects before any call.
 * Rejects with RangeError when `concurrency` is not a positive integer.
 */
export async function mapPool<T, R>(
    items: readonly T[],
    fn: (item: T, index: number) => Promise<R>,
    options: PoolOptions,
): Promise<R[]> {
    throw new Error("not implemented");
}
