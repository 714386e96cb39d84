/**
 * Shares and tags of CJA components (`/componentmetadata/shares`, `/componentmetadata/tags`, in
 * cja.json). Both writes are authoritative, as the shares and tags guides warn: the shares (tags)
 * of each listed component become exactly those sent.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { opt } from "../schema";

/** cja.json's `componentType` values of the components the resources make. */
export type ComponentType = "segment" | "calculatedMetric" | "dateRange";

export const shareSchema = z.looseObject({
  shareId: opt(z.number()),
  shareToType: z.string(),
  shareToId: opt(z.number()),
  shareToImsId: opt(z.string()),
  accessLevel: opt(z.string()),
});
export type Share = z.infer<typeof shareSchema>;

/** One share as sent: a user or group by its IMS id (or its numeric id), or everyone. */
export interface ShareBody {
  shareToType: "user" | "group" | "all";
  shareToId?: number;
  shareToImsId?: string;
}

const componentSharesSchema = z.looseObject({ componentType: opt(z.string()), componentId: z.string(), shares: opt(z.array(shareSchema)) });

/** Gives the component exactly `shares` (none: every share removed). */
export async function putShares(client: AdobeClient, componentType: ComponentType, componentId: string, shares: ShareBody[]): Promise<void> {
  await client.request({
    service: "cja",
    method: "PUT",
    path: "/componentmetadata/shares",
    body: [{ componentType, componentId, shares }],
    schema: z.union([z.array(componentSharesSchema), componentSharesSchema]),
    // Authoritative: sending it again gives the same shares.
    idempotent: true,
  });
}

/** The component's shares. */
export async function sharesOf(client: AdobeClient, componentType: ComponentType, componentId: string): Promise<Share[]> {
  const answer = await client.request({
    service: "cja",
    method: "POST",
    path: "/componentmetadata/shares/component/search",
    body: { componentType, componentIds: [componentId] },
    schema: z.union([z.looseObject({ content: z.array(componentSharesSchema) }), componentSharesSchema]),
    idempotent: true,
  });
  const items = "content" in answer && Array.isArray(answer.content) ? answer.content : [answer as z.infer<typeof componentSharesSchema>];
  return items.filter((item) => item.componentId === componentId).flatMap((item) => item.shares ?? []);
}

export const tagSchema = z.looseObject({ id: opt(z.number()), name: z.string(), description: opt(z.string()) });
export type Tag = z.infer<typeof tagSchema>;

/** Gives the component exactly the tags named (made when the org has none of that name). */
export async function putTags(client: AdobeClient, componentType: ComponentType, componentId: string, names: string[]): Promise<void> {
  await client.request({
    service: "cja",
    method: "PUT",
    path: "/componentmetadata/tags/tagitems",
    body: [{ componentType, componentId, tags: names.map((name) => ({ name })) }],
    schema: z.array(z.looseObject({ componentId: z.string(), tags: opt(z.array(tagSchema)) })),
    idempotent: true,
  });
}

/** The component's tags. */
export async function tagsOf(client: AdobeClient, componentType: ComponentType, componentId: string): Promise<Tag[]> {
  return client.request({
    service: "cja",
    method: "GET",
    path: "/componentmetadata/tags/search",
    query: { componentId, componentType },
    schema: z.array(tagSchema),
  });
}
