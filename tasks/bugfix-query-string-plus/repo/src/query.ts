/** A parsed query string: repeated keys collect their values in order. */
export type Query = Record<string, string | string[]>;

/**
 * Parses an `application/x-www-form-urlencoded` query string (with or without the leading `?`):
 * `+` means a space, `%XX` escapes are decoded, repeated keys become arrays, and a key without
 * `=` gets the empty string. Throws URIError naming the pair when an escape is malformed.
 */
export function parseQuery(search: string): Query {
  const query: Query = {};
  const text = search.startsWith('?') ? search.slice(1) : search;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey).replace(/\+/g, ' ');
      value = decodeURIComponent(rawValue).replace(/\+/g, ' ');
    } catch {
      throw new URIError(`Malformed escape in query pair "${pair}"`);
    }
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/** The inverse of `parseQuery`: arrays repeat their key; keys keep their insertion order. */
export function stringifyQuery(query: Query): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(`${encode(key)}=${encode(v)}`);
    }
  }
  return parts.join('&');
}

/** First value of `key`, or undefined. */
export function first(query: Query, key: string): string | undefined {
  const value = query[key];
  return Array.isArray(value) ? value[0] : value;
}

/** All values of `key` (empty when absent). */
export function all(query: Query, key: string): string[] {
  const value = query[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
