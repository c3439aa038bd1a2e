/** Milliseconds per unit. */
const UNIT_MS: Record<string, number> = {
    ms: 1,
    s: 1_000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
};

/** Units used when formatting, largest first. Weeks are left out on purpose ("9d" reads better). */
const FORMAT_UNITS = ['d', 'h', 'm', 's'] as const;

/**
 * Parses human durations such as `"1h30m"`, `"1.5h"`, `"2d 4h"`, `"250ms"` into milliseconds
 * (rounded). A bare integer is taken as milliseconds. Case and inner spaces are ignored.
 * Throws on empty input or anything that is not a sequence of `<number><unit>`.
 */
export function parseDuration(input: string): number {
    const text = input.trim().toLowerCase();
    if (text === '') throw new Error('empty duration');
    if (/^\d+$/.test(text)) return Number(text);

    const token = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*/g;
    let total = 0;
    let consumed = 0;
    let match: RegExpExecArray | null;
    while ((match = token.exec(text)) !== null) {
        if (match.index !== consumed) break; // garbage between tokens
        total += Number(match[1]) * UNIT_MS[match[2]];
        consumed += match[0].length;
    }
    if (consumed !== text.length) {
        throw new Error(`invalid duration "${input}": expected e.g. "1h30m", "90s" or "250ms"`);
    }
    return Math.round(total);
}

/**
 * Formats milliseconds for people: whole seconds (rounded half up), largest units first, zero
 * parts dropped — `5_400_000` → `"1h 30m"`, `0` → `"0s"`. Throws RangeError on negative/NaN.
 */
export function formatDuration(ms: number): string {
    if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`duration must be a finite, non-negative number of ms, got ${ms}`);
    }
    let rest = Math.round(ms / 1000) * 1000;
    if (rest === 0) return '0s';
    const parts: string[] = [];
    for (const unit of FORMAT_UNITS) {
        const n = Math.floor(rest / UNIT_MS[unit]);
        if (n > 0) {
            parts.push(`${n}${unit}`);
            rest -= n * UNIT_MS[unit];
        }
    }
    return parts.join(' ');
}
