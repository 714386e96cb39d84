/**
 * The `shares` and `tags` inputs of CalculatedMetric, Filter and DateRange: who the component is
 * shared with, and its tags. A component a stack makes is owned by the credential's technical
 * account, so analysts who are not product admins see it only when it is shared with them
 * (docs/ADOBE-API.md, "Who owns and sees what a stack makes").
 *
 * Left out, Adobe's shares (tags) are not managed; declared, they are exactly what Adobe holds
 * after each create and update (Adobe's writes are authoritative), and a refresh reads them back.
 */
import { z } from "zod";
import * as metadata from "../adobe/cja/component-metadata";
import { adobeClient } from "./client";
import { canonicalJson } from "./resource-handler";
import { isUnknown } from "./unknowns";

export type { ComponentType } from "../adobe/cja/component-metadata";

export interface ShareInput {
  type: "user" | "group" | "all";
  id?: string | number;
}

const share = z
  .strictObject({
    type: z.enum(["user", "group", "all"], { error: 'must be "user", "group" or "all"' }),
    id: z.union([z.string().trim().min(1, "must not be empty").max(255, "must be at most 255 characters"), z.number().int().positive()], { error: "must be an IMS user or group id (a string) or a numeric id" }).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.type === "all" && s.id !== undefined && !isUnknown(s.id)) ctx.addIssue({ code: "custom", path: ["id"], message: 'a share with "all" names no id' });
    if (s.type !== "all" && s.id === undefined) ctx.addIssue({ code: "custom", path: ["id"], message: `a ${s.type} share needs the ${s.type}'s id` });
  });

/** At most 100 shares, each once. */
export const sharesInput = z
  .array(share)
  .max(100, "may have at most 100 shares")
  .superRefine((shares, ctx) => {
    const seen = new Set<string>();
    shares.forEach((s, i) => {
      const key = shareKey(s);
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i], message: `shares ${key} twice` });
      seen.add(key);
    });
  })
  .optional();

/** At most 100 tags, each once, names as CJA's UI takes them. */
export const tagsInput = z
  .array(
    z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(255, "must be at most 255 characters")
      .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "must not contain control characters"),
  )
  .max(100, "may have at most 100 tags")
  .superRefine((tags, ctx) => {
    const seen = new Set<string>();
    tags.forEach((tag, i) => {
      if (seen.has(tag)) ctx.addIssue({ code: "custom", path: [i], message: `names the tag ${JSON.stringify(tag)} twice` });
      seen.add(tag);
    });
  })
  .optional();

const shareKey = (s: ShareInput) => (s.type === "all" ? "all" : `${s.type}:${String(s.id)}`);

/** Shares and tags in a fixed order, so their order in a program never shows as a change. */
export function canonicalMetadata(key: string, value: unknown): unknown {
  if (key === "shares" && Array.isArray(value)) return [...(value as ShareInput[])].sort((a, b) => shareKey(a).localeCompare(shareKey(b)));
  if (key === "tags" && Array.isArray(value)) return [...(value as string[])].sort();
  return value;
}

function shareBody(s: ShareInput): metadata.ShareBody {
  if (s.type === "all") return { shareToType: "all" };
  return typeof s.id === "number" ? { shareToType: s.type, shareToId: s.id } : { shareToType: s.type, shareToImsId: s.id };
}

/**
 * Writes the declared shares and tags of a component that was just made, adopted or updated:
 * each declared list that is new (`changed` undefined) or changed. Undeclared lists are left alone.
 */
export async function writeMetadata(
  componentType: metadata.ComponentType,
  componentId: string,
  inputs: { shares?: ShareInput[]; tags?: string[] },
  changed?: readonly string[],
): Promise<void> {
  const client = adobeClient();
  if (inputs.shares !== undefined && (changed === undefined || changed.includes("shares"))) await metadata.putShares(client, componentType, componentId, inputs.shares.map(shareBody));
  if (inputs.tags !== undefined && (changed === undefined || changed.includes("tags"))) await metadata.putTags(client, componentType, componentId, inputs.tags);
}

/** `live` (in canonical order), or `declared` as written when Adobe holds just that: a refresh then leaves the state as it was. */
function asDeclared<T>(key: "shares" | "tags", live: T[], declared: T[]): T[] {
  return canonicalJson(canonicalMetadata(key, declared)) === canonicalJson(live) ? declared : live;
}

/** A component as read with `expansion=shares,tags`: Adobe's answer may carry both lists. */
export interface ComponentRead {
  id: string;
  shares?: metadata.Share[];
  tags?: metadata.Tag[];
}

/**
 * The live shares and tags of what the state declares (undeclared ones are not read): those the
 * component's own read carried (`expansion=shares,tags`), else one search each. Adobe's lists have
 * no order: one holding what the state does comes back as the state has it (the program's order),
 * one that differs in canonical order.
 */
export async function readMetadata(
  componentType: metadata.ComponentType,
  component: ComponentRead,
  outs: { shares?: ShareInput[]; tags?: string[] },
): Promise<{ shares?: ShareInput[]; tags?: string[] }> {
  const client = adobeClient();
  const read: { shares?: ShareInput[]; tags?: string[] } = {};
  if (outs.shares !== undefined) {
    const live = component.shares ?? (await metadata.sharesOf(client, componentType, component.id));
    const shares = canonicalMetadata(
      "shares",
      live.map((s): ShareInput => {
        const type = s.shareToType.toLowerCase() as ShareInput["type"];
        return type === "all" ? { type } : { type, id: s.shareToImsId ?? s.shareToId };
      }),
    ) as ShareInput[];
    read.shares = asDeclared("shares", shares, outs.shares);
  }
  if (outs.tags !== undefined) {
    const tags = canonicalMetadata("tags", (component.tags ?? (await metadata.tagsOf(client, componentType, component.id))).map((t) => t.name)) as string[];
    read.tags = asDeclared("tags", tags, outs.tags);
  }
  return read;
}

/** `shares: [...] → [...]` (and tags) where the live component holds other shares or tags than declared; undeclared ones are not read. */
export async function metadataChanges(componentType: metadata.ComponentType, component: ComponentRead, inputs: { shares?: ShareInput[]; tags?: string[] }): Promise<string[]> {
  const live = await readMetadata(componentType, component, inputs);
  return (["shares", "tags"] as const)
    .filter((key) => inputs[key] !== undefined && JSON.stringify(canonicalMetadata(key, live[key])) !== JSON.stringify(canonicalMetadata(key, inputs[key])))
    .map((key) => `${key}: ${JSON.stringify(live[key])} → ${JSON.stringify(canonicalMetadata(key, inputs[key]))}`);
}
