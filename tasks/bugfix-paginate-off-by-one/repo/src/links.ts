import type { PageInfo } from "./paginate"

type Rel = "first" | "prev" | "next" | "last"

function pageUrl(baseUrl: string, page: number, perPage: number): string {
  const url = new URL(baseUrl)
  url.searchParams.set("page", String(page))
  url.searchParams.set("per_page", String(perPage))
  return url.toString()
}

/** Target page of each navigation link that applies to `info` (no prev on page 1, no next on the last page). */
export function navigation(info: PageInfo): Partial<Record<Rel, number>> {
  const nav: Partial<Record<Rel, number>> = {}
  if (info.hasPrev) {
    nav.first = 1
    nav.prev = info.page - 1
  }
  if (info.hasNext) {
    nav.next = info.page + 1
    nav.last = info.totalPages
  }
  return nav
}

/** An RFC 8288 `Link` header value, e.g. `<https://api/x?page=2&per_page=10>; rel="next"`. */
export function linkHeader(baseUrl: string, info: PageInfo): string {
  return Object.entries(navigation(info))
    .map(([rel, page]) => `<${pageUrl(baseUrl, page, info.perPage)}>; rel="${rel}"`)
    .join(", ")
}
