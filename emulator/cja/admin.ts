/**
 * CJA admin routes under `/_emulator/orgs/:orgId/`: what a person does in the Adobe UI and
 * Adobe's public API cannot (configure connections, add and change data view components, seed a
 * data view as the UI leaves it). Bodies use Adobe's wire names; every response is the stored
 * document in full, context labels included.
 */
import { z } from "zod";
import { ADMIN_PREFIX, type EmuRequest, type EmulatorContext, type HttpMethod, type RouteDef } from "../types";
import {
  componentInputSchemas,
  componentPatchSchemas,
  componentsBulkSchema,
  CONNECTION_ID,
  connectionInputSchema,
  dataViewSeedSchema,
  type ComponentInput,
  type ConnectionInput,
} from "./admin-schemas";
import { componentNoun, fullComponentId } from "./component-ids";
import { adminFail, guarded, ok } from "./failure";
import { cjaState, componentsOf, type CjaOrgState, type CjaOwner, type ComponentKind, type StoredComponent, type StoredConnection, type StoredDataView } from "./state";
import { isKnownTimeZone } from "./timezone";
import { clone, nowIso, uuidFrom } from "./wire";

/** The owner of objects made "in the UI". */
const UI_USER: CjaOwner = { imsUserId: "ui-user@AdobeID", ownerId: "ui-user@AdobeID", type: "imsUser" };

function parseOrFail<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length > 0 ? issue.path.join(".") : "body";
    adminFail(400, `${field}: ${issue.message}`);
  }
  return parsed.data as z.output<T>;
}

function ownerOf(input: { imsUserId: string; ownerId?: string; type?: CjaOwner["type"] } | undefined): CjaOwner {
  if (!input) return { ...UI_USER };
  return { imsUserId: input.imsUserId, ownerId: input.ownerId ?? input.imsUserId, type: input.type ?? "imsUser" };
}

// ---- connections ----

function buildConnection(ctx: EmulatorContext, org: string, id: string, input: ConnectionInput, previous?: StoredConnection): StoredConnection {
  const { id: _ignored, owner, sandboxId, ...settings } = input;
  const now = nowIso(ctx);
  return {
    ...clone(settings),
    id,
    idWithoutPrefix: id.slice("dg_".length),
    owner: ownerOf(owner),
    organization: org,
    sandboxId: sandboxId ?? previous?.sandboxId ?? uuidFrom(ctx.newId(32)),
    createdDate: previous?.createdDate ?? now,
    modifiedDate: now,
    modifiedBy: ownerOf(owner).imsUserId,
  };
}

function createConnection(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const input = parseOrFail(connectionInputSchema, req.body);
  const id = input.id ?? `dg_${uuidFrom(ctx.newId(32))}`;
  if (state.connections[id]) adminFail(409, `Connection ${id} already exists`);
  state.connections[id] = buildConnection(ctx, req.org, id, input);
  ctx.state.touch();
  return ok(state.connections[id]);
}

function replaceConnection(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const id = req.params.connectionId;
  if (!CONNECTION_ID.test(id)) adminFail(400, "connectionId: must be dg_ followed by a uuid");
  const input = parseOrFail(connectionInputSchema, req.body);
  if (input.id !== undefined && input.id !== id) adminFail(400, `id: ${input.id} differs from the path's ${id}`);
  state.connections[id] = buildConnection(ctx, req.org, id, input, state.connections[id]);
  ctx.state.touch();
  return ok(state.connections[id]);
}

function existingConnection(state: CjaOrgState, id: string): StoredConnection {
  const connection = state.connections[id];
  if (!connection) adminFail(404, `Connection ${id} does not exist`);
  return connection;
}

function getConnection(req: EmuRequest, ctx: EmulatorContext) {
  return ok(existingConnection(cjaState(ctx, req.org), req.params.connectionId));
}

function deleteConnection(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  delete state.connections[existingConnection(state, req.params.connectionId).id];
  ctx.state.touch();
  return ok({ result: "success" });
}

// ---- components ----

/** The stored form of a component: prefixed id, `hidden`/`hideFromReporting` default false. */
function buildComponent(kind: ComponentKind, id: string, input: ComponentInput): StoredComponent {
  const { id: _ignored, ...settings } = input;
  return { hidden: false, hideFromReporting: false, ...clone(settings), id: fullComponentId(kind, id), name: input.name };
}

function existingDataView(state: CjaOrgState, id: string): StoredDataView {
  const dataView = state.dataViews[id];
  if (!dataView) adminFail(404, `Data view ${id} does not exist`);
  return dataView;
}

function componentRoute(kind: ComponentKind) {
  const idOf = (req: EmuRequest) => fullComponentId(kind, req.params.componentId);
  const slotOf = (req: EmuRequest, ctx: EmulatorContext) => {
    const state = cjaState(ctx, req.org);
    return componentsOf(state, existingDataView(state, req.params.dataViewId).id)[kind];
  };
  const existing = (slot: Record<string, StoredComponent>, id: string) => {
    const component = slot[id];
    if (!component) adminFail(404, `The data view has no ${componentNoun(kind)} ${id}`);
    return component;
  };
  return {
    put(req: EmuRequest, ctx: EmulatorContext) {
      const input = parseOrFail(componentInputSchemas[kind], req.body) as ComponentInput;
      const id = idOf(req);
      if (input.id !== undefined && fullComponentId(kind, input.id) !== id) adminFail(400, `id: ${input.id} differs from the path's ${id}`);
      const slot = slotOf(req, ctx);
      slot[id] = buildComponent(kind, id, input);
      ctx.state.touch();
      return ok(slot[id]);
    },
    patch(req: EmuRequest, ctx: EmulatorContext) {
      const input = parseOrFail(componentPatchSchemas[kind], req.body) as Partial<ComponentInput>;
      const id = idOf(req);
      if (input.id !== undefined && fullComponentId(kind, input.id) !== id) adminFail(400, "id: a component's id cannot be changed");
      const slot = slotOf(req, ctx);
      slot[id] = { ...existing(slot, id), ...clone(input), id };
      ctx.state.touch();
      return ok(slot[id]);
    },
    get(req: EmuRequest, ctx: EmulatorContext) {
      return ok(existing(slotOf(req, ctx), idOf(req)));
    },
    remove(req: EmuRequest, ctx: EmulatorContext) {
      const slot = slotOf(req, ctx);
      delete slot[existing(slot, idOf(req)).id];
      ctx.state.touch();
      return ok({ result: "success" });
    },
  };
}

function storeComponents(state: CjaOrgState, dataViewId: string, kind: ComponentKind, inputs: (ComponentInput & { id: string })[]): void {
  const slot = componentsOf(state, dataViewId)[kind];
  for (const input of inputs) {
    const id = fullComponentId(kind, input.id);
    slot[id] = buildComponent(kind, id, input);
  }
}

function duplicateIdProblem(kind: ComponentKind, inputs: { id: string }[]): string | undefined {
  const seen = new Set<string>();
  for (const [index, input] of inputs.entries()) {
    const id = fullComponentId(kind, input.id);
    if (seen.has(id)) return `${kind}.${index}.id: duplicate ${componentNoun(kind)} ${id}`;
    seen.add(id);
  }
  return undefined;
}

function putComponents(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const dataView = existingDataView(state, req.params.dataViewId);
  const input = parseOrFail(componentsBulkSchema, req.body);
  const problem = duplicateIdProblem("dimensions", input.dimensions) ?? duplicateIdProblem("metrics", input.metrics);
  if (problem) adminFail(400, problem);
  if (input.replace) state.components[dataView.id] = { dimensions: {}, metrics: {} };
  storeComponents(state, dataView.id, "dimensions", input.dimensions);
  storeComponents(state, dataView.id, "metrics", input.metrics);
  ctx.state.touch();
  return ok(dataViewDocument(state, dataView));
}

// ---- data views ----

function dataViewDocument(state: CjaOrgState, dataView: StoredDataView) {
  const components = componentsOf(state, dataView.id);
  return { dataView, dimensions: Object.values(components.dimensions), metrics: Object.values(components.metrics) };
}

function seedDataView(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const input = parseOrFail(dataViewSeedSchema, req.body);
  if (!state.connections[input.parentDataGroupId]) adminFail(404, "Unable to find parentDataGroup");
  if (!isKnownTimeZone(input.timezoneDesignator)) adminFail(400, `timezoneDesignator: unknown time zone ${input.timezoneDesignator}`);
  const problem = duplicateIdProblem("dimensions", input.dimensions) ?? duplicateIdProblem("metrics", input.metrics);
  if (problem) adminFail(400, problem);
  const id = input.id ?? `dv_${ctx.newId(24)}`;
  if (state.dataViews[id]) adminFail(409, `Data view ${id} already exists`);
  const { dimensions, metrics, owner, id: _id, ...settings } = input;
  const now = nowIso(ctx);
  const stored: StoredDataView = {
    description: "",
    segmentList: [],
    curationEnabled: false,
    sessionDefinition: [{ numPeriods: 30, granularity: "minute", func: "inactivity", events: [] }],
    containerNames: { event: "Event", session: "Session", people: "Person" },
    ...clone(settings),
    externalData: { externalParentId: input.parentDataGroupId.replace(/^dg_/, ""), ...clone(settings.externalData) },
    id,
    owner: ownerOf(owner),
    isDeleted: false,
    organization: req.org,
    createdDate: now,
    modifiedDate: now,
    modifiedBy: ownerOf(owner).imsUserId,
  };
  state.dataViews[id] = stored;
  state.components[id] = { dimensions: {}, metrics: {} };
  storeComponents(state, id, "dimensions", dimensions);
  storeComponents(state, id, "metrics", metrics);
  ctx.state.touch();
  return ok(dataViewDocument(state, stored));
}

function getDataViewDocument(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  return ok(dataViewDocument(state, existingDataView(state, req.params.dataViewId)));
}

// ---- table ----

const ORG = `${ADMIN_PREFIX}/orgs/:orgId`;

function adminRoute(method: HttpMethod, path: string, handler: RouteDef["handler"], body?: z.ZodType): RouteDef {
  return { method, path: `${ORG}${path}`, service: "admin", ...(body ? { body } : {}), handler: guarded(handler) };
}

function componentRoutes(kind: ComponentKind): RouteDef[] {
  const handlers = componentRoute(kind);
  const path = `/dataviews/:dataViewId/${kind}/:componentId`;
  return [
    adminRoute("PUT", path, handlers.put, componentInputSchemas[kind]),
    adminRoute("PATCH", path, handlers.patch, componentPatchSchemas[kind]),
    adminRoute("GET", path, handlers.get),
    adminRoute("DELETE", path, handlers.remove),
  ];
}

export const cjaAdminRoutes: RouteDef[] = [
  adminRoute("POST", "/connections", createConnection, connectionInputSchema),
  adminRoute("PUT", "/connections/:connectionId", replaceConnection, connectionInputSchema),
  adminRoute("GET", "/connections/:connectionId", getConnection),
  adminRoute("DELETE", "/connections/:connectionId", deleteConnection),
  adminRoute("POST", "/dataviews", seedDataView, dataViewSeedSchema),
  adminRoute("GET", "/dataviews/:dataViewId", getDataViewDocument),
  adminRoute("PUT", "/dataviews/:dataViewId/components", putComponents, componentsBulkSchema),
  ...componentRoutes("dimensions"),
  ...componentRoutes("metrics"),
];
