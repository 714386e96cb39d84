/**
 * CJA's Spring-style page envelope. Adobe's spec (`PageConnection`, data view list) names the
 * flags `first`/`last`, its guides and most clients read `firstPage`/`lastPage`: both are sent.
 */
import { invalidParameters } from "./failure";

export interface PageRequest {
  /** 0-based page number. */
  page: number;
  /** Page size. */
  limit: number;
}

const sortInfo = (sorted: boolean) => ({ sorted, unsorted: !sorted, empty: !sorted });

export interface PageEnvelope<T> {
  content: T[];
  number: number;
  size: number;
  totalElements: number;
  totalPages: number;
  numberOfElements: number;
  first: boolean;
  last: boolean;
  firstPage: boolean;
  lastPage: boolean;
  empty: boolean;
  sort: { sorted: boolean; unsorted: boolean; empty: boolean };
  pageable: {
    sort: { sorted: boolean; unsorted: boolean; empty: boolean };
    paged: boolean;
    unpaged: boolean;
    pageNumber: number;
    pageSize: number;
    offset: number;
  };
}

function nonNegativeInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) invalidParameters(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** `limit` (default `defaultLimit`, at least 1) and `page` (default 0) from the query. */
export function pageRequest(query: Record<string, string>, defaultLimit = 10): PageRequest {
  const limit = nonNegativeInt("limit", query.limit, defaultLimit);
  if (limit < 1) invalidParameters("limit must be at least 1");
  return { page: nonNegativeInt("page", query.page, 0), limit };
}

/** The items of one page. */
export function pageSlice<T>(items: T[], request: PageRequest): T[] {
  const offset = request.page * request.limit;
  return items.slice(offset, offset + request.limit);
}

/** One page of `items` (already filtered and sorted) in CJA's envelope. */
export function pageEnvelope<T>(items: T[], request: PageRequest, sorted = true): PageEnvelope<T> {
  const content = pageSlice(items, request);
  const totalPages = Math.ceil(items.length / request.limit);
  const first = request.page === 0;
  const last = request.page >= totalPages - 1;
  return {
    content,
    number: request.page,
    size: request.limit,
    totalElements: items.length,
    totalPages,
    numberOfElements: content.length,
    first,
    last,
    firstPage: first,
    lastPage: last,
    empty: content.length === 0,
    sort: sortInfo(sorted),
    pageable: {
      sort: sortInfo(sorted),
      paged: true,
      unpaged: false,
      pageNumber: request.page,
      pageSize: request.limit,
      offset: request.page * request.limit,
    },
  };
}

/**
 * Sort by `sortProperty` (one of `keys`, default `defaultKey`) in `sortDirection` (`ASC`|`DESC`,
 * default ascending). Unknown values are Adobe's 400.
 */
export function sortItems<T>(
  items: T[],
  query: Record<string, string>,
  keys: Record<string, (item: T) => string>,
  defaultKey: string,
): T[] {
  const property = query.sortProperty ?? defaultKey;
  const keyOf = keys[property];
  if (!keyOf) invalidParameters(`sortProperty must be one of ${Object.keys(keys).join(", ")}, got "${property}"`);
  const direction = (query.sortDirection ?? "ASC").toUpperCase();
  if (direction !== "ASC" && direction !== "DESC") invalidParameters(`sortDirection must be ASC or DESC, got "${query.sortDirection}"`);
  const sign = direction === "ASC" ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}
