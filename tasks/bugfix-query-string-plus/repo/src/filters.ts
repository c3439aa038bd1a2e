import { all, first, type Query } from './query';

export interface SearchFilters {
  text: string;
  tags: string[];
  minPrice?: number;
  maxPrice?: number;
  sort: 'relevance' | 'price' | 'newest';
}

const SORTS = ['relevance', 'price', 'newest'] as const;

function price(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Search filters from `?q=&tag=&tag=&min_price=&max_price=&sort=`; unknown or bad values are dropped. */
export function toFilters(query: Query): SearchFilters {
  const sort = first(query, 'sort');
  return {
    text: (first(query, 'q') ?? '').trim(),
    tags: [...new Set(all(query, 'tag').map((t) => t.trim().toLowerCase()))].filter((t) => t !== ''),
    minPrice: price(first(query, 'min_price')),
    maxPrice: price(first(query, 'max_price')),
    sort: SORTS.find((s) => s === sort) ?? 'relevance',
  };
}
