export interface PageQuery {
  page: number
  perPage: number
}

export interface PageQueryDefaults {
  perPage: number
  maxPerPage: number
}

const DEFAULTS: PageQueryDefaults = { perPage: 20, maxPerPage: 100 }

function positiveInt(raw: string | null): number | undefined {
  if (raw === null || !/^\d+$/.test(raw)) return undefined
  const n = Number(raw)
  return n >= 1 ? n : undefined
}

/** Reads `page` and `per_page` from a query string; junk falls back to defaults, per_page is capped. */
export function parsePageQuery(params: URLSearchParams, defaults: PageQueryDefaults = DEFAULTS): PageQuery {
  const page = positiveInt(params.get("page")) ?? 1
  const perPage = Math.min(positiveInt(params.get("per_page")) ?? defaults.perPage, defaults.maxPerPage)
  return { page, perPage }
}
