/**
 * Shares and tags of components (`/componentmetadata/shares`, `/componentmetadata/tags`, in
 * cja.json; the answers in the shapes of CJA's shares and tags guides, see
 * component-spec-deviations.ts). The emulator serves what the provider needs and the reads
 * around it: `PUT /componentmetadata/shares` (authoritative: "Any shares not included in the
 * request body will be deleted"), `POST /componentmetadata/shares/component/search`,
 * `GET /componentmetadata/shares/{id}`, `PUT /componentmetadata/tags/tagitems` (replaces a
 * component's tags, creating tags by name), `GET /componentmetadata/tags/search`,
 * `GET /componentmetadata/tags`, `GET /componentmetadata/tags/{id}`.
 *
 * Components are the ones the emulator keeps: `segment`, `calculatedMetric`, `dateRange`; a
 * share or tag of an id it does not hold answers 404 (inferred: Adobe documents no error).
 */
import { z } from "zod";
import type { EmuRequest, EmulatorContext, RouteDef } from "../types";
import { dateRangesOf } from "./date-ranges";
import { guarded, invalidParameters, notFound, ok } from "./failure";
import { pageEnvelope, pageRequest } from "./paging";
import { segmentsOf } from "./segments";
import { cjaState, type CjaOrgState, type CjaOwner } from "./state";
import { csvList, requester } from "./wire";

export interface StoredShare {
  shareId: number;
  componentType: string;
  componentId: string;
  shareToType: string;
  shareToId?: number;
  shareToImsId?: string;
  accessLevel?: string;
  shareFromImsId: string;
}

export interface StoredTag {
  id: number;
  name: string;
  description?: string;
  components: Array<{ componentType: string; componentId: string }>;
}

interface MetadataSlot {
  shares: Record<string, StoredShare>;
  tags: Record<string, StoredTag>;
  nextShareId: number;
  nextTagId: number;
}

/** The org's shares and tags, kept beside its other CJA objects (created empty on first use). */
export function metadataOf(state: CjaOrgState): MetadataSlot {
  const slot = state as CjaOrgState & { componentMetadata?: MetadataSlot };
  return (slot.componentMetadata ??= { shares: {}, tags: {}, nextShareId: 11684455, nextTagId: 35632 });
}

/** The share targets of Adobe's shares guide: a user, a group (by id), or everyone (`all`). */
const shareSchema = z.looseObject({
  shareToType: z.enum(["user", "group", "all"]),
  shareToId: z.number().int().optional(),
  shareToImsId: z.string().min(1).optional(),
  accessLevel: z.string().nullish(),
});
const sharesBodySchema = z.array(z.looseObject({ componentType: z.string().min(1), componentId: z.string().min(1), shares: z.array(shareSchema) }));
const tagItemsBodySchema = z.array(
  z.looseObject({ componentType: z.string().min(1), componentId: z.string().min(1), tags: z.array(z.looseObject({ id: z.number().int().optional(), name: z.string().trim().min(1).optional(), description: z.string().nullish() })) }),
);

function parseOrFail<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    invalidParameters(`${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data as z.output<T>;
}

/** Whether the org holds the component (of a type the emulator keeps). */
function holds(state: CjaOrgState, componentType: string, componentId: string): boolean {
  if (componentType === "segment") return Object.hasOwn(segmentsOf(state), componentId);
  if (componentType === "dateRange") return Object.hasOwn(dateRangesOf(state), componentId);
  if (componentType === "calculatedMetric") return Object.hasOwn(state.calculatedMetrics, componentId);
  return false;
}

function componentOrFail(state: CjaOrgState, componentType: string, componentId: string): void {
  if (!holds(state, componentType, componentId)) notFound(`Unable to find ${componentType} ${componentId}`);
}

/** A share on the wire. The guides answer `shareToDisplayName: null` and `accessLevel: null`; cja.json types both as strings, so an unset one is left out. */
const shareView = (share: StoredShare) => ({ ...share });
const sharesOfComponent = (slot: MetadataSlot, componentType: string, componentId: string) =>
  Object.values(slot.shares).filter((s) => s.componentType === componentType && s.componentId === componentId);

/** `PUT /componentmetadata/shares`: each listed component gets exactly the shares given (the guide's warning: the call is authoritative). */
function putShares(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const body = parseOrFail(sharesBodySchema, req.body ?? []);
  body.forEach((item, i) => {
    componentOrFail(state, item.componentType, item.componentId);
    item.shares.forEach((share, j) => {
      if (share.shareToType !== "all" && share.shareToId === undefined && share.shareToImsId === undefined) {
        invalidParameters(`[${i}].shares[${j}]: a ${share.shareToType} share needs shareToId or shareToImsId`);
      }
    });
  });
  const slot = metadataOf(state);
  const from = requester(req).imsUserId;
  const answer = body.map((item) => {
    for (const old of sharesOfComponent(slot, item.componentType, item.componentId)) delete slot.shares[old.shareId];
    const shares = item.shares.map((share) => {
      const stored: StoredShare = {
        shareId: slot.nextShareId++,
        componentType: item.componentType,
        componentId: item.componentId,
        shareToType: share.shareToType,
        ...(share.shareToId !== undefined ? { shareToId: share.shareToId } : {}),
        ...(share.shareToImsId !== undefined ? { shareToImsId: share.shareToImsId } : {}),
        ...(share.accessLevel ? { accessLevel: share.accessLevel } : {}),
        shareFromImsId: from,
      };
      slot.shares[stored.shareId] = stored;
      const { shareId: _id, componentType: _t, componentId: _c, shareFromImsId: _f, ...target } = stored;
      return target;
    });
    return { componentType: item.componentType, componentId: item.componentId, shares, status: { success: true } };
  });
  ctx.state.touch();
  return ok(answer);
}

/** `POST /componentmetadata/shares/component/search`: the shares of components of one type, in the guide's page envelope. */
function searchShares(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const body = parseOrFail(z.looseObject({ componentType: z.string().min(1), componentIds: z.array(z.string()) }), req.body ?? {});
  const slot = metadataOf(state);
  const items = body.componentIds.map((componentId) => ({
    componentType: body.componentType,
    componentId,
    shares: sharesOfComponent(slot, body.componentType, componentId).map(shareView),
  }));
  return ok(pageEnvelope(items, pageRequest(req.query)));
}

function getShare(req: EmuRequest, ctx: EmulatorContext) {
  const share = metadataOf(cjaState(ctx, req.org)).shares[req.params.id];
  if (!share) notFound(`Share ${req.params.id} was not found`);
  return ok(shareView(share));
}

/** `GET /componentmetadata/shares`: the shares the requester made, in the guide's page envelope. */
function listShares(req: EmuRequest, ctx: EmulatorContext) {
  const from = requester(req).imsUserId;
  const shares = Object.values(metadataOf(cjaState(ctx, req.org)).shares).filter((s) => s.shareFromImsId === from);
  return ok(pageEnvelope(shares.map(shareView), pageRequest(req.query)));
}

const tagsOfComponent = (slot: MetadataSlot, componentType: string, componentId: string) =>
  Object.values(slot.tags).filter((t) => t.components.some((c) => c.componentType === componentType && c.componentId === componentId));

/**
 * Whether a list answers a calculated metric, filter or date range to the requester. Adobe's lists
 * hold what the user owns, and `includeType` adds others' (cja.json: "Include additional calculated
 * metrics not owned by user", the same for segments and date ranges; the calculated metrics guide's
 * example asks `includeType=shared` for those shared with the user): `all` (calculated metrics
 * only) adds every one, `shared` those shared with the user or with everyone. The emulator keeps no
 * group membership, so a share to a group does not reach a technical account here.
 */
export function listedTo(req: EmuRequest, state: CjaOrgState, componentType: string, component: { id: string; owner: CjaOwner }): boolean {
  const me = requester(req).imsUserId;
  if (component.owner.imsUserId === me) return true;
  const includeType = csvList(req.query.includeType) ?? [];
  if (includeType.includes("all") && componentType === "calculatedMetric") return true;
  if (!includeType.includes("shared")) return false;
  return sharesOfComponent(metadataOf(state), componentType, component.id).some((s) => s.shareToType === "all" || (s.shareToType === "user" && s.shareToImsId === me));
}

/** Drops a deleted component's shares and its place in its tags (a tag itself stays, as Adobe's tags belong to the org). */
export function forgetComponent(state: CjaOrgState, componentType: string, componentId: string): void {
  const slot = metadataOf(state);
  for (const share of sharesOfComponent(slot, componentType, componentId)) delete slot.shares[share.shareId];
  for (const tag of tagsOfComponent(slot, componentType, componentId)) {
    tag.components = tag.components.filter((c) => !(c.componentType === componentType && c.componentId === componentId));
  }
}

/** A component's tags and shares as its own reads carry them with `expansion=tags,shares`. */
export function metadataFields(state: CjaOrgState, componentType: string, componentId: string): { tags: Array<{ id: number; name: string }>; shares: StoredShare[] } {
  const slot = metadataOf(state);
  return {
    tags: tagsOfComponent(slot, componentType, componentId).map(({ id, name }) => ({ id, name })),
    shares: sharesOfComponent(slot, componentType, componentId).map(shareView),
  };
}

/** `PUT /componentmetadata/tags/tagitems`: each listed component gets exactly the tags given; a tag named but not yet made is created (the tags guide). */
function putTagItems(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const body = parseOrFail(tagItemsBodySchema, req.body ?? []);
  const slot = metadataOf(state);
  body.forEach((item, i) => {
    componentOrFail(state, item.componentType, item.componentId);
    item.tags.forEach((tag, j) => {
      if (tag.id === undefined && tag.name === undefined) invalidParameters(`[${i}].tags[${j}]: a tag needs its id or a name`);
      if (tag.id !== undefined && !slot.tags[tag.id]) notFound(`Tag ${tag.id} was not found`);
    });
  });
  const answer = body.map((item) => {
    for (const tag of tagsOfComponent(slot, item.componentType, item.componentId)) {
      tag.components = tag.components.filter((c) => !(c.componentType === item.componentType && c.componentId === item.componentId));
    }
    const tags = item.tags.map((wanted) => {
      let tag = wanted.id !== undefined ? slot.tags[wanted.id] : Object.values(slot.tags).find((t) => t.name === wanted.name);
      if (!tag) {
        tag = { id: slot.nextTagId++, name: wanted.name!, ...(wanted.description ? { description: wanted.description } : {}), components: [] };
        slot.tags[tag.id] = tag;
      }
      tag.components.push({ componentType: item.componentType, componentId: item.componentId });
      return { id: tag.id, name: tag.name, ...(tag.description ? { description: tag.description } : {}) };
    });
    return { componentType: item.componentType, componentId: item.componentId, tags, status: { success: true } };
  });
  ctx.state.touch();
  return ok(answer);
}

/** `GET /componentmetadata/tags/search?componentId&componentType`: the component's tags. */
function tagsOfComponentRoute(req: EmuRequest, ctx: EmulatorContext) {
  const { componentId, componentType } = req.query;
  if (!componentId || !componentType) invalidParameters("componentId and componentType are required");
  return ok(tagsOfComponent(metadataOf(cjaState(ctx, req.org)), componentType, componentId).map((t) => ({ ...t, components: t.components.filter((c) => c.componentId === componentId) })));
}

function listTags(req: EmuRequest, ctx: EmulatorContext) {
  const tags = Object.values(metadataOf(cjaState(ctx, req.org)).tags).map(({ id, name }) => ({ id, name }));
  return ok(pageEnvelope(tags, pageRequest(req.query)));
}

function getTag(req: EmuRequest, ctx: EmulatorContext) {
  const tag = metadataOf(cjaState(ctx, req.org)).tags[req.params.id];
  if (!tag) notFound(`Tag ${req.params.id} was not found`);
  return ok(tag);
}

const route = (method: RouteDef["method"], path: string, handler: RouteDef["handler"]): RouteDef => ({ method, path, service: "cja", spec: "cja", handler: guarded(handler) });

export const componentMetadataRoutes: RouteDef[] = [
  route("GET", "/componentmetadata/shares", listShares),
  route("PUT", "/componentmetadata/shares", putShares),
  route("POST", "/componentmetadata/shares/component/search", searchShares),
  route("GET", "/componentmetadata/shares/:id", getShare),
  route("GET", "/componentmetadata/tags", listTags),
  route("PUT", "/componentmetadata/tags/tagitems", putTagItems),
  route("GET", "/componentmetadata/tags/search", tagsOfComponentRoute),
  route("GET", "/componentmetadata/tags/:id", getTag),
];
