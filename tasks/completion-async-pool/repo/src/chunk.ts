/** Splits `items` into arrays of `size` (the last one may be shorter). Throws RangeError for size < 1. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
    if (!Number.isInteger(size) || size < 1) {
        throw new RangeError(`size must be a positive integer, got ${size}`);
    }
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) {
        out.push(items.slice(i, i + size));
    }
    return out;
}
