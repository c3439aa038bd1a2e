/** Combining diacritical marks left over after NFKD normalisation (é → e + ◌́). */
const COMBINING_MARKS = /[\u0300-\u036f]/g;

export interface SlugifyOptions {
  /** Character placed between words. Default `-`. */
  separator?: string;
  /** Maximum slug length in characters; the cut falls on a word boundary when there is one. */
  maxLength?: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Turns a title into a URL slug: ASCII letters and digits, lower case, words joined by `separator`.
 * Accents are folded (`Crème brûlée` → `creme-brulee`); everything else separates words.
 */
export function slugify(input: string, options: SlugifyOptions = {}): string {
  const separator = options.separator ?? '-';
  const sep = escapeRegExp(separator);
  const slug = input
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, separator)
    .replace(new RegExp(`^${sep}+|${sep}+$`, 'g'), '');
  return truncate(slug, options.maxLength, separator);
}

function truncate(slug: string, maxLength: number | undefined, separator: string): string {
  if (maxLength === undefined || slug.length <= maxLength) return slug;
  if (slug.startsWith(separator, maxLength)) return slug.slice(0, maxLength);
  const cut = slug.slice(0, maxLength);
  const lastSep = cut.lastIndexOf(separator);
  return lastSep > 0 ? cut.slice(0, lastSep) : cut;
}
