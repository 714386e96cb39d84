/**
 * CJA filters, which Adobe's API calls segments: list, get, create, update, delete, validate
 * (`/segments`, `/segments/{id}`, `POST /segments/validate`, all in cja.json).
 *
 * A segment answers only its `id` unless asked (cja.json: "A segment response includes these
 * default items: ID"); Adobe's guides' answers carry `name` and `description` too. Every call
 * here asks for the fields the resource reads with `expansion`.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { opt, ownerSchema } from "../schema";
import { shareSchema, tagSchema } from "./component-metadata";
import { collectPages, pageOf } from "./pages";

export const segmentSchema = z.looseObject({
  id: z.string(),
  name: opt(z.string()),
  description: opt(z.string()),
  /** The data view the segment belongs to. */
  dataId: opt(z.string()),
  owner: opt(ownerSchema),
  definition: opt(z.looseObject({})),
  modified: opt(z.string()),
  isDeleted: opt(z.boolean()),
  /** With `expansion=shares,tags`: who it is shared with, and its tags. */
  shares: opt(z.array(shareSchema)),
  tags: opt(z.array(tagSchema)),
});

export type Segment = z.infer<typeof segmentSchema>;

/** The writable fields of a segment (create body; an update sends any subset). */
export interface SegmentBody {
  name?: string;
  description?: string;
  dataId?: string;
  definition?: Record<string, unknown>;
  [field: string]: unknown;
}

/** What every read asks for besides the default fields (names from cja.json's `expansion` enum). */
export const SEGMENT_EXPANSION = ["definition", "dataId", "owner", "modified", "isDeleted", "shares", "tags"];

export interface ListSegmentsOptions {
  /** Only segments of these data views (cja.json's `dataIds`). */
  dataIds?: string[];
  /** Exact name (cja.json's `name` filter). */
  name?: string;
  /** Only the segments with these ids (cja.json's `filterByIds`). */
  filterByIds?: string[];
  expansion?: string[];
  /** Page size; default 1000. */
  limit?: number;
}

/** Every matching segment the credential can see (all pages). */
export async function listSegments(client: AdobeClient, opts: ListSegmentsOptions = {}): Promise<Segment[]> {
  const limit = opts.limit ?? 1000;
  return collectPages(
    (page) =>
      client.request({
        service: "cja",
        method: "GET",
        path: "/segments",
        query: { expansion: opts.expansion ?? SEGMENT_EXPANSION, dataIds: opts.dataIds, name: opts.name, filterByIds: opts.filterByIds, limit, page },
        schema: pageOf(segmentSchema),
      }),
    limit,
  );
}

/** One segment. @throws AdobeApiError 404 when it does not exist */
export async function getSegment(client: AdobeClient, id: string, expansion: string[] = SEGMENT_EXPANSION): Promise<Segment> {
  return client.request({ service: "cja", method: "GET", path: "/segments/{id}", pathParams: { id }, query: { expansion }, schema: segmentSchema });
}

/** Creates a segment; repeated after an ambiguous failure only when `recover` found nothing. */
export async function createSegment(client: AdobeClient, body: SegmentBody, opts: { recover?: () => Promise<Segment | undefined> } = {}): Promise<Segment> {
  return client.request({ service: "cja", method: "POST", path: "/segments", query: { expansion: SEGMENT_EXPANSION }, body, schema: segmentSchema, recover: opts.recover });
}

/** Updates a segment in place (a partial update: the fields sent). */
export async function updateSegment(client: AdobeClient, id: string, body: SegmentBody): Promise<Segment> {
  return client.request({ service: "cja", method: "PUT", path: "/segments/{id}", pathParams: { id }, query: { expansion: ["definition", "dataId", "owner", "modified"] }, body, schema: segmentSchema });
}

const deleteResultSchema = z.looseObject({ result: opt(z.string()), message: opt(z.string()) });

/** Deletes a segment. @throws AdobeApiError 404 when it does not exist */
export async function deleteSegment(client: AdobeClient, id: string): Promise<z.infer<typeof deleteResultSchema>> {
  const result = await client.request({ service: "cja", method: "DELETE", path: "/segments/{id}", pathParams: { id }, schema: opt(deleteResultSchema) });
  return result ?? {};
}

export const segmentValidationSchema = z.looseObject({
  valid: opt(z.boolean()),
  message: opt(z.string()),
  errors: opt(z.array(z.string())),
  validator_version: opt(z.string()),
  supported_products: opt(z.array(z.string())),
  supported_features: opt(z.array(z.string())),
});
export type SegmentValidation = z.infer<typeof segmentValidationSchema>;

/** Asks Adobe whether a segment body (name, dataId, definition) is valid; writes nothing. */
export async function validateSegment(client: AdobeClient, body: SegmentBody): Promise<SegmentValidation> {
  return client.request({ service: "cja", method: "POST", path: "/segments/validate", body, schema: segmentValidationSchema, idempotent: true });
}
