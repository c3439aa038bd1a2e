export type DecimalStyle = 'comma' | 'dot';

/**
 * Parses a bank amount such as "-1.234,56" (comma style) or "1,234.56" (dot style)
 * into integer cents. Throws on anything that is not a plain amount.
 */
export function parseAmountCents(raw: string, style: DecimalStyle): number {
    const trimmed = raw.trim();
    const [thousands, decimal] = style === 'comma' ? ['.', ','] : [',', '.'];
    const normalised = trimmed.split(thousands).join('').replace(decimal, '.');
    if (!/^[+-]?\d+(\.\d{1,2})?$/.test(normalised)) {
        throw new Error(`not an amount: "${raw}"`);
    }
    return Math.floor(Number(normalised) * 100);
}
