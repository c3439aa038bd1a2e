import { displayWidth } from './measure';

/** Pads `text` with spaces to `width` terminal columns (wide characters count double). */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Left-aligns rows of cells into columns separated by `gap` spaces; trailing spaces are trimmed. */
export function alignRows(rows: readonly string[][], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => padColumns(cell, widths[i] + gap))
      .join('')
      .trimEnd(),
  );
}
