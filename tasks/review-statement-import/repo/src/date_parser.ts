/** Parses a statement date "DD.MM.YYYY" into an ISO date "YYYY-MM-DD". Throws on other shapes. */
export function parseStatementDate(raw: string): string {
    const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(raw.trim());
    if (!match) {
        throw new Error(`not a DD.MM.YYYY date: "${raw}"`);
    }
    const day = Number(match[1]);
    const month = Number(match[2]);
    const year = Number(match[3]);
    if (month < 1 || month > 12 || day < 1 || day > 31) {
        throw new Error(`date out of range: "${raw}"`);
    }
    return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}
