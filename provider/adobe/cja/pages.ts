/**
 * CJA list responses: a Spring page envelope (`content`, `number`, `totalPages`, and both
 * `first/last` and `firstPage/lastPage` in the wild) or, where the spec says so
 * (GET /calculatedmetrics), a bare array. `collectPages` reads every page.
 */
import { z } from "zod";
import { opt } from "../schema";

/** A page envelope or a bare array of `item`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.union([
    z.array(item),
    z.looseObject({
      content: z.array(item),
      number: opt(z.number()),
      totalPages: opt(z.number()),
      totalElements: opt(z.number()),
      last: opt(z.boolean()),
      lastPage: opt(z.boolean()),
    }),
  ]);
}

export type Page<T> = T[] | { content: T[]; number?: number; totalPages?: number; last?: boolean; lastPage?: boolean };

/** Upper bound on pages read for one list, against a server that never says "last". */
const MAX_PAGES = 10_000;

/**
 * Reads pages 0, 1, ... until the envelope says it was the last one, a page comes back shorter
 * than `limit` (when the request set one) or empty, or a page brings nothing new (a server that
 * ignores `page`).
 */
export async function collectPages<T extends { id?: string }>(fetchPage: (page: number) => Promise<Page<T>>, limit?: number): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(page);
    const content = Array.isArray(result) ? result : result.content;
    const fresh = content.filter((item) => item.id === undefined || !seen.has(item.id));
    for (const item of fresh) {
      if (item.id !== undefined) seen.add(item.id);
      items.push(item);
    }
    if (fresh.length === 0 || (limit !== undefined && content.length < limit)) break;
    if (!Array.isArray(result)) {
      if (result.lastPage === true || result.last === true) break;
      if (result.totalPages !== undefined && page + 1 >= result.totalPages) break;
    }
  }
  return items;
}
