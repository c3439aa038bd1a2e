export interface WrapOptions {
  /** Prefix for every line of a paragraph after its first (a hanging indent). Default ''. */
  hangingIndent?: string;
}

/**
 * Word-wraps `text` to lines of at most `width` terminal columns (see `displayWidth`), greedily:
 * each line takes as many whole words as fit. Rules:
 *  - `\n` separates paragraphs; an empty paragraph stays an empty line.
 *  - Runs of whitespace inside a paragraph collapse to one space; lines have no trailing spaces.
 *  - Continuation lines start with `hangingIndent`, which counts toward `width`.
 *  - A word wider than the space available is split across lines (`sliceByWidth`).
 *
 *   wrapText('the quick brown fox', 10)  → ['the quick', 'brown fox']
 *
 * Throws RangeError when `width` is not an integer wider than the hanging indent.
 */
export function wrapText(text: string, width: number, options: WrapOptions = {}): string[] {
  throw new Error('not implemented');
}
