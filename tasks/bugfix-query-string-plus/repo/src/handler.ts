import { toFilters, type SearchFilters } from './filters';
import { parseQuery } from './query';

export interface SearchResult {
  id: string;
  title: string;
}

/** The search backend, injected so tests and the HTTP layer can swap it. */
export type SearchBackend = (filters: SearchFilters) => Promise<SearchResult[]>;

/** Handles `GET /search?...`: 400 for a malformed query string, otherwise the backend's results. */
export async function handleSearch(url: string, backend: SearchBackend): Promise<{ status: number; body: unknown }> {
  let filters: SearchFilters;
  try {
    filters = toFilters(parseQuery(new URL(url, 'http://localhost').search));
  } catch (error) {
    return { status: 400, body: { error: (error as Error).message } };
  }
  return { status: 200, body: { filters, results: await backend(filters) } };
}
