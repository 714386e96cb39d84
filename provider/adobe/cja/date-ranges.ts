/**
 * CJA date ranges: list, get, create, update, delete (`/dateranges`, `/dateranges/{id}`, all in
 * cja.json). A date range belongs to no data view. Its `definition` is a string on the wire
 * (`"tm/tm+1m"` in Adobe's date ranges guide) where cja.json types it as an object.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { opt, ownerSchema } from "../schema";
import { shareSchema, tagSchema } from "./component-metadata";
import { collectPages, pageOf } from "./pages";

export const dateRangeSchema = z.looseObject({
  id: z.string(),
  name: opt(z.string()),
  description: opt(z.string()),
  owner: opt(ownerSchema),
  definition: opt(z.union([z.string(), z.looseObject({})])),
  modified: opt(z.string()),
  /** With `expansion=shares,tags`: who it is shared with, and its tags. */
  shares: opt(z.array(shareSchema)),
  tags: opt(z.array(tagSchema)),
});

export type DateRange = z.infer<typeof dateRangeSchema>;

/** The writable fields of a date range. */
export interface DateRangeBody {
  name?: string;
  description?: string;
  definition?: string;
  [field: string]: unknown;
}

/** Fields asked for besides the defaults (cja.json's `expansion` enum of the date range operations). */
export const DATE_RANGE_EXPANSION = ["definition", "modified", "shares", "tags"];

/** Every date range the credential owns (all pages; `limit` default 1000). */
export async function listDateRanges(client: AdobeClient, opts: { limit?: number; filterByIds?: string[] } = {}): Promise<DateRange[]> {
  const limit = opts.limit ?? 1000;
  return collectPages(
    (page) =>
      client.request({
        service: "cja",
        method: "GET",
        path: "/dateranges",
        query: { expansion: DATE_RANGE_EXPANSION, filterByIds: opts.filterByIds?.join(","), limit, page },
        schema: pageOf(dateRangeSchema),
      }),
    limit,
  );
}

/** One date range. @throws AdobeApiError 404 when it does not exist */
export async function getDateRange(client: AdobeClient, id: string): Promise<DateRange> {
  return client.request({ service: "cja", method: "GET", path: "/dateranges/{id}", pathParams: { id }, query: { expansion: DATE_RANGE_EXPANSION }, schema: dateRangeSchema });
}

/** Creates a date range; repeated after an ambiguous failure only when `recover` found nothing. */
export async function createDateRange(client: AdobeClient, body: DateRangeBody, opts: { recover?: () => Promise<DateRange | undefined> } = {}): Promise<DateRange> {
  return client.request({ service: "cja", method: "POST", path: "/dateranges", query: { expansion: DATE_RANGE_EXPANSION }, body, schema: dateRangeSchema, recover: opts.recover });
}

/** Updates a date range in place (the guide: "supports partial updates"). */
export async function updateDateRange(client: AdobeClient, id: string, body: DateRangeBody): Promise<DateRange> {
  return client.request({ service: "cja", method: "PUT", path: "/dateranges/{id}", pathParams: { id }, query: { expansion: DATE_RANGE_EXPANSION }, body, schema: dateRangeSchema });
}

const deleteResultSchema = z.looseObject({ result: opt(z.string()), message: opt(z.string()) });

/** Deletes a date range. @throws AdobeApiError 404 when it does not exist */
export async function deleteDateRange(client: AdobeClient, id: string): Promise<z.infer<typeof deleteResultSchema>> {
  const result = await client.request({ service: "cja", method: "DELETE", path: "/dateranges/{id}", pathParams: { id }, schema: opt(deleteResultSchema) });
  return result ?? {};
}
