import type { Money } from './money';

export interface FormatOptions {
    /** Between groups of three digits. Default `,`. */
    thousandsSeparator?: string;
    /** Between whole and fractional digits. Default `.`. */
    decimalSeparator?: string;
    /** Show the ISO code after the number instead of the symbol (`1,234.56 USD`). */
    showCode?: boolean;
}

/** `1234567` → `1,234,567`. `digits` must be a string of decimal digits without a sign. */
export function groupThousands(digits: string, separator: string): string {
    let out = '';
    for (let i = 0; i < digits.length; i++) {
        const fromEnd = digits.length - i;
        out += digits[i];
        if (fromEnd > 1 && fromEnd % 3 === 1) out += separator;
    }
    return out;
}

/**
 * Formats an amount for display using the currency table: the currency's number of decimals,
 * its symbol before or after the number, digits grouped by thousands, and a leading minus sign.
 *
 *   formatMoney({ amountMinor: -123456, currency: 'USD' })        → '-$1,234.56'
 *   formatMoney({ amountMinor: 1250, currency: 'EUR' },
 *               { thousandsSeparator: '.', decimalSeparator: ',' }) → '12,50 €'
 *   formatMoney({ amountMinor: 5000, currency: 'JPY' })           → '¥5,000'
 *
 * Throws RangeError when `amountMinor` is not a safe integer, and Error for unknown currencies.
 */
export function formatMoney(money: Money, options: FormatOptions = {}): string {
    throw new Error('not implemented');
}
