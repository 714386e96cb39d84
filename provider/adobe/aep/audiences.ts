/**
 * AEP audiences (platform.adobe.io/data/core/ups/audiences): list by name or property, get.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { opt } from "../schema";

export const audienceSchema = z.looseObject({
  id: z.string(),
  audienceId: opt(z.string()),
  name: opt(z.string()),
  description: opt(z.string()),
  namespace: opt(z.string()),
  type: opt(z.string()),
  lifecycleState: opt(z.string().transform((s) => s.toLowerCase())),
  mergePolicyId: opt(z.string()),
  schema: opt(z.looseObject({ name: opt(z.string()) })),
  expression: opt(z.looseObject({ type: opt(z.string()), format: opt(z.string()), value: opt(z.string()) })),
  isSystem: opt(z.boolean()),
  creationTime: opt(z.number()),
  updateTime: opt(z.number()),
});

export type Audience = z.infer<typeof audienceSchema>;

export const audienceListSchema = z.looseObject({
  children: opt(z.array(audienceSchema)),
  _page: opt(z.looseObject({ totalCount: opt(z.number()), next: opt(z.union([z.string(), z.number()])) })),
});

export interface ListAudiencesOptions {
  /** Name contains this text (case-insensitive, Adobe's `name` filter). */
  name?: string;
  /** Exact-match expression, e.g. `audienceId==<id>` (Adobe's `property` filter). */
  property?: string;
  entityType?: string;
  /** Page size; default 100. */
  limit?: number;
  sandbox?: string;
}

/**
 * Matching audiences, all pages (`start` from `_page.next`, a number or a numeric string, until it
 * is absent or 0, or a page brings no audience not seen before), each audience once.
 */
export async function listAudiences(client: AdobeClient, opts: ListAudiencesOptions = {}): Promise<Audience[]> {
  const limit = opts.limit ?? 100;
  const audiences: Audience[] = [];
  let start: number | undefined;
  const seen = new Set<number>();
  const ids = new Set<string>();
  for (;;) {
    const page = await client.request({
      service: "aep",
      method: "GET",
      path: "/data/core/ups/audiences",
      query: { start, limit, name: opts.name, property: opts.property, entityType: opts.entityType },
      schema: audienceListSchema,
      sandbox: opts.sandbox,
    });
    const children = page.children ?? [];
    // Pages may overlap (a list that changes while it is read): each audience is kept once.
    const fresh = children.filter((a) => !ids.has(a.id));
    for (const audience of fresh) ids.add(audience.id);
    audiences.push(...fresh);
    const next = Number(page._page?.next ?? 0);
    if (!Number.isFinite(next) || next <= 0 || seen.has(next) || fresh.length === 0) return audiences;
    seen.add(next);
    start = next;
  }
}

/** One audience by id. @throws AdobeApiError 404 (`UPAPI-113430-404`) when it does not exist */
export async function getAudience(client: AdobeClient, audienceId: string, opts: { sandbox?: string } = {}): Promise<Audience> {
  return client.request({
    service: "aep",
    method: "GET",
    path: "/data/core/ups/audiences/{AUDIENCE_ID}",
    pathParams: { AUDIENCE_ID: audienceId },
    schema: audienceSchema,
    sandbox: opts.sandbox,
  });
}
