/**
 * The handlers field groups and schemas share, written once over a `ResourceKind`: list and lookup
 * in a container (`global` or `tenant`), and create (`POST`), replace (`PUT`) and delete in the
 * tenant container. A write runs the same steps for both kinds: scope, find the existing resource
 * by path id, read the body, run the kind's checks, build the resource with the registry's
 * attributes, check the whole resource, store it, touch the state. A refused request writes nothing.
 */
import type { EmuResponse, RouteDef } from "../../types";
import type { XdmField, XdmResource, XdmSandboxState } from "../xdm";
import { listAccept, lookupAccept, lookupView } from "./accept";
import { containerRequest, decodeId, isResponse, notFound, objectBody, scope, type Scope } from "./common";
import { filterByProperty, listResponse, paginate, summary } from "./listing";
import { keptIds, newIds, type ResourceIds, type ResourceType } from "./registry-attributes";

type Handler = RouteDef["handler"];

/** What a list or lookup answers: the resource and, for the `-full` forms, its resolved fields. */
export interface Found {
  resource: Record<string, unknown>;
  fields: Record<string, XdmField> | undefined;
}

/** One kind of registry resource (field groups, schemas): where it lives and its own rules. */
export interface ResourceKind<R extends XdmResource, Checked> {
  noun: "field group" | "schema";
  type: ResourceType;
  /** The path segment of its routes (`fieldgroups`, `schemas`). */
  path: "fieldgroups" | "schemas";
  /** The path parameter of its id. */
  idParam: "FIELD_GROUP_ID" | "SCHEMA_ID";
  /** The tenant resources of the sandbox, by `$id`. */
  stored(xdm: XdmSandboxState): Record<string, R>;
  /** A tenant resource by `$id` or `meta:altId`. */
  find(xdm: XdmSandboxState, id: string): R | undefined;
  /** The resources a list of the container holds. */
  listed(s: Scope, container: string): Record<string, unknown>[];
  /** A lookup in the container by path id, or undefined (404). */
  lookedUp(s: Scope, container: string, id: string): Found | undefined;
  /** The checks of a body (create and replace): what `build` needs, or the error. */
  check(s: Scope, body: Record<string, unknown>, existing?: R): Checked | EmuResponse;
  /** The resource as stored and answered. */
  build(s: Scope, body: Record<string, unknown>, checked: Checked, ids: ResourceIds, existing?: R): R;
  /** The checks of the whole resource before it is stored, or undefined when it may be. */
  resourceProblem?(s: Scope, resource: R): EmuResponse | undefined;
}

/** The tenant resource the path id names, or the 404. */
export function existingResource<R extends XdmResource>(kind: ResourceKind<R, unknown>, s: Scope): R | EmuResponse {
  const id = decodeId(s.req.params[kind.idParam]);
  return kind.find(s.xdm, id) ?? notFound(s.ctx, kind.noun, id);
}

/** Stores the resource once it passes the kind's whole-resource checks, and answers it. */
export function saveResource<R extends XdmResource>(kind: ResourceKind<R, unknown>, s: Scope, resource: R, status: number): EmuResponse {
  const problem = kind.resourceProblem?.(s, resource);
  if (problem) return problem;
  kind.stored(s.xdm)[resource.$id] = resource;
  s.ctx.state.touch();
  return { status, body: resource };
}

export function listHandler<R extends XdmResource>(kind: ResourceKind<R, unknown>): Handler {
  return (req, ctx) => {
    const get = containerRequest(req, ctx, listAccept);
    if (isResponse(get)) return get;
    const page = paginate(req, ctx, filterByProperty(kind.listed(get.s, get.container), req.query.property));
    if (isResponse(page)) return page;
    const results = get.form.ids ? page.results.map((r) => summary(r as XdmResource)) : page.results;
    return listResponse(req, { ...page, results }, get.container, kind.path);
  };
}

export function lookupHandler<R extends XdmResource>(kind: ResourceKind<R, unknown>): Handler {
  return (req, ctx) => {
    const get = containerRequest(req, ctx, lookupAccept);
    if (isResponse(get)) return get;
    const id = decodeId(req.params[kind.idParam]);
    const found = kind.lookedUp(get.s, get.container, id);
    return found ? { status: 200, body: lookupView(found.resource, found.fields, get.form) } : notFound(ctx, kind.noun, id);
  };
}

/** `POST /tenant/{path}`: a new resource, 201. */
export function createHandler<R extends XdmResource, Checked>(kind: ResourceKind<R, Checked>): Handler {
  return (req, ctx) => {
    const s = scope(req, ctx);
    const body = objectBody(s);
    if (isResponse(body)) return body;
    const checked = kind.check(s, body);
    if (isResponse(checked)) return checked;
    return saveResource(kind, s, kind.build(s, body, checked, newIds(s, kind.type)), 201);
  };
}

/** `PUT /tenant/{path}/{id}`: rewrites the resource (the same body as a create), keeping its ids; the minor version goes up. */
export function replaceHandler<R extends XdmResource, Checked>(kind: ResourceKind<R, Checked>): Handler {
  return (req, ctx) => {
    const s = scope(req, ctx);
    const existing = existingResource(kind, s);
    if (isResponse(existing)) return existing;
    const body = objectBody(s);
    if (isResponse(body)) return body;
    const checked = kind.check(s, body, existing);
    if (isResponse(checked)) return checked;
    return saveResource(kind, s, kind.build(s, body, checked, keptIds(existing), existing), 200);
  };
}

/** `DELETE /tenant/{path}/{id}`: 204. */
export function deleteHandler<R extends XdmResource>(kind: ResourceKind<R, unknown>): Handler {
  return (req, ctx) => {
    const s = scope(req, ctx);
    const existing = existingResource(kind, s);
    if (isResponse(existing)) return existing;
    delete kind.stored(s.xdm)[existing.$id];
    ctx.state.touch();
    return { status: 204 };
  };
}
