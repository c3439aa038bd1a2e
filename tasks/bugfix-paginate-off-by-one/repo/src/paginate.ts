export interface PageInfo {
  /** 1-based page number, clamped into [1, totalPages]. */
  page: number
  perPage: number
  totalItems: number
  totalPages: number
  hasNext: boolean
  hasPrev: boolean
}

export interface Page<T> extends PageInfo {
  items: T[]
}

/**
 * Pages needed to show `totalItems` items, `perPage` per page. Always at least 1, so an empty
 * listing still has a (blank) page 1. Throws RangeError when perPage is not a positive integer.
 */
export function pageCount(totalItems: number, perPage: number): number {
  if (!Number.isInteger(perPage) || perPage < 1) {
    throw new RangeError(`perPage must be a positive integer, got ${perPage}`)
  }
  return Math.max(1, Math.floor(totalItems / perPage))
}

/** Page metadata for `page` (out-of-range pages are clamped rather than rejected). */
export function pageInfo(totalItems: number, page: number, perPage: number): PageInfo {
  const totalPages = pageCount(totalItems, perPage)
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), totalPages)
  return {
    page: current,
    perPage,
    totalItems,
    totalPages,
    hasNext: current < totalPages,
    hasPrev: current > 1,
  }
}

/** The slice of `items` shown on `page`, with its metadata. */
export function paginate<T>(items: readonly T[], page: number, perPage: number): Page<T> {
  const info = pageInfo(items.length, page, perPage)
  const start = (info.page - 1) * perPage
  return { ...info, items: items.slice(start, start + perPage) }
}
