/** ISO 4217 facts needed to display an amount. Minor units per ISO 4217 (list one, 2024). */
export interface CurrencyInfo {
    code: string;
    symbol: string;
    /** Digits after the decimal point: 2 for USD, 0 for JPY, 3 for KWD. */
    minorUnits: number;
    /** True when the symbol follows the number (`12,50 €`). */
    symbolAfter: boolean;
}

const TABLE: Record<string, CurrencyInfo> = {
    USD: { code: 'USD', symbol: '$', minorUnits: 2, symbolAfter: false },
    GBP: { code: 'GBP', symbol: '£', minorUnits: 2, symbolAfter: false },
    EUR: { code: 'EUR', symbol: '€', minorUnits: 2, symbolAfter: true },
    CHF: { code: 'CHF', symbol: 'CHF', minorUnits: 2, symbolAfter: true },
    JPY: { code: 'JPY', symbol: '¥', minorUnits: 0, symbolAfter: false },
    KWD: { code: 'KWD', symbol: 'KD', minorUnits: 3, symbolAfter: true },
};

/** Looks up a currency by ISO code (case-insensitive). Throws on codes the table does not know. */
export function getCurrency(code: string): CurrencyInfo {
    const info = TABLE[code.toUpperCase()];
    if (!info) {
        throw new Error(`Unknown currency "${code}"; known: ${Object.keys(TABLE).join(', ')}`);
    }
    return info;
}

export function isKnownCurrency(code: string): boolean {
    return code.toUpperCase() in TABLE;
}
