/** Combining marks (accents typed as separate code points) take no columns. */
const COMBINING = /\p{Mn}/u;
/** Wide East Asian ranges (CJK, Hangul, fullwidth forms) take two terminal columns. */
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Columns `ch` (one code point) occupies in a monospace terminal: 0, 1 or 2. */
export function charWidth(ch: string): number {
  if (COMBINING.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** Columns `text` occupies in a monospace terminal (no line breaks expected). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/**
 * Splits `text` after at most `maxWidth` columns, never inside a code point and keeping combining
 * marks with their base character. Returns `[head, tail]`; head is non-empty when text is.
 */
export function sliceByWidth(text: string, maxWidth: number): [string, string] {
  let width = 0;
  let end = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (width + w > maxWidth && end > 0) break;
    width += w;
    end += ch.length;
  }
  return [text.slice(0, end), text.slice(end)];
}
