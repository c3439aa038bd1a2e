export interface Rgb {
    r: number
    g: number
    b: number
}

export type WcagLevel = 'AAA' | 'AA' | 'fail'

/** Parses `#rgb`, `#rrggbb` (hash optional, any case) into 0–255 channels. */
export function parseHex(input: string): Rgb {
    let hex = input.trim().replace(/^#/, '')
    if (/^[0-9a-f]{3}$/i.test(hex)) {
        hex = hex
            .split('')
            .map((c) => c + c)
            .join('')
    }
    if (!/^[0-9a-f]{6}$/i.test(hex)) {
        throw new Error(`invalid colour "${input}": expected #rgb or #rrggbb`)
    }
    return {
        r: parseInt(hex.slice(0, 2), 16),
        g: parseInt(hex.slice(2, 4), 16),
        b: parseInt(hex.slice(4, 6), 16),
    }
}

/** sRGB channel (0–255) to linear light (0–1). */
function linear(channel: number): number {
    const c = channel / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** WCAG 2.x relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance({ r, g, b }: Rgb): number {
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/** WCAG contrast ratio between two colours, from 1 to 21; order of arguments does not matter. */
export function contrastRatio(a: string, b: string): number {
    const la = relativeLuminance(parseHex(a))
    const lb = relativeLuminance(parseHex(b))
    const lighter = Math.max(la, lb)
    const darker = Math.min(la, lb)
    return (lighter + 0.05) / (darker + 0.05)
}

/**
 * WCAG 2.1 level for a ratio (success criteria 1.4.3 / 1.4.6): normal text needs 4.5 (AA) or
 * 7 (AAA); large text (≥ 18pt, or 14pt bold) needs 3 (AA) or 4.5 (AAA). Thresholds are inclusive.
 */
export function wcagLevel(ratio: number, options: { largeText?: boolean } = {}): WcagLevel {
    const [aa, aaa] = options.largeText ? [3, 4.5] : [4.5, 7]
    if (ratio >= aaa) return 'AAA'
    if (ratio >= aa) return 'AA'
    return 'fail'
}
