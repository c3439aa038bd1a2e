export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  /** 1-based page number; defaults to 1. */
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

/** Clamps a requested page size into 1..MAX_PAGE_SIZE; missing or NaN → DEFAULT_PAGE_SIZE. */
export function clampPageSize(size: number | undefined): number {
  if (size === undefined || !Number.isFinite(size)) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(size)));
}

/**
 * LIMIT/OFFSET for a 1-based page. One extra row is fetched so `toPage` can tell
 * whether another page exists without a COUNT(*).
 */
export function toLimitOffset(req: PageRequest): { limit: number; offset: number; page: number; pageSize: number } {
  const pageSize = clampPageSize(req.pageSize);
  const page = Math.max(1, Math.floor(req.page ?? 1));
  return { limit: pageSize + 1, offset: (page - 1) * pageSize, page, pageSize };
}

export function toPage<T>(rows: T[], page: number, pageSize: number): Page<T> {
  return { items: rows.slice(0, pageSize), page, pageSize, hasMore: rows.length > pageSize };
}
