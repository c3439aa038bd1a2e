import { contrastRatio, wcagLevel, type WcagLevel } from './contrast'

export interface TextChoice {
    color: string
    ratio: number
    level: WcagLevel
}

/** The candidate text colour with the highest contrast on `background` (first wins ties). */
export function pickTextColor(background: string, candidates: string[] = ['#000000', '#ffffff']): TextChoice {
    if (candidates.length === 0) throw new Error('pickTextColor: no candidates')
    let best: TextChoice | null = null
    for (const color of candidates) {
        const ratio = contrastRatio(background, color)
        if (best === null || ratio > best.ratio) best = { color, ratio, level: wcagLevel(ratio) }
    }
    return best as TextChoice
}

/** Design-token lint: every pair that fails AA for normal text. */
export function failingPairs(pairs: Array<[fg: string, bg: string]>): string[] {
    return pairs
        .filter(([fg, bg]) => wcagLevel(contrastRatio(fg, bg)) === 'fail')
        .map(([fg, bg]) => `${fg} on ${bg}`)
}
