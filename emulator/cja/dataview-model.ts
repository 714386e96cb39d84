/**
 * The data view document: which fields a client may write, how they are normalised (enums in
 * lower case, as Adobe answers), what is required, and how a data view is put on the wire.
 */
import { z } from "zod";
import { expand, type ExpansionAliases } from "./expansion";
import type { SessionDefinition, StoredDataView } from "./state";
import { isKnownTimeZone, timeZoneOffsetHours } from "./timezone";
import { clone, lowerEnum } from "./wire";

const caseInsensitiveEnum = (values: readonly [string, ...string[]]) =>
  z.string().transform(lowerEnum).pipe(z.enum(values));

const sessionDefinitionSchema = z.looseObject({
  numPeriods: z.number().int(),
  granularity: caseInsensitiveEnum(["minute", "hour", "day", "week"]),
  func: caseInsensitiveEnum(["inactivity", "before_events"]),
  events: z.array(z.string()).optional(),
});

/**
 * The project's own check of a data view body (create, update, validate): the types of the
 * fields Adobe's `DataView` schema declares. Required fields are checked by the handlers, since
 * update is partial and validate reports them in its answer.
 */
export const dataViewBodySchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  parentDataGroupId: z.string().optional(),
  segmentList: z.array(z.string()).optional(),
  timezoneDesignator: z.string().optional(),
  curationEnabled: z.boolean().optional(),
  sessionDefinition: z.array(sessionDefinitionSchema).optional(),
  externalData: z.looseObject({ externalId: z.string().optional(), externalParentId: z.string().optional() }).optional(),
  containerNames: z.looseObject({ event: z.string().optional(), session: z.string().optional(), people: z.string().optional() }).optional(),
});

export type DataViewBody = z.output<typeof dataViewBodySchema>;

/** Fields a client sets; everything else (id, owner, organization, dates, offset) is the server's. */
export const WRITABLE_FIELDS = [
  "name",
  "description",
  "parentDataGroupId",
  "segmentList",
  "timezoneDesignator",
  "curationEnabled",
  "sessionDefinition",
  "externalData",
  "containerNames",
] as const;

const REQUIRED_FIELDS = ["name", "parentDataGroupId", "timezoneDesignator"] as const;

/** Parse a body with `dataViewBodySchema`, or undefined with the first issue as a message. */
export function parseDataViewBody(body: unknown): { body: DataViewBody } | { error: string } {
  const parsed = dataViewBodySchema.safeParse(body ?? {});
  if (parsed.success) return { body: parsed.data };
  const issue = parsed.error.issues[0];
  return { error: `Data View body is invalid: ${issue.path.join(".") || "body"}: ${issue.message}` };
}

/**
 * What is wrong with a complete data view body, in Adobe's words
 * (`The following fields are required: [timezoneDesignator] `), or undefined.
 */
export function completenessProblem(body: DataViewBody): string | undefined {
  const missing = REQUIRED_FIELDS.filter((field) => {
    const value = body[field];
    return typeof value !== "string" || value.trim() === "";
  });
  if (missing.length > 0) return `The following fields are required: [${missing.join(", ")}] `;
  return timeZoneProblem(body);
}

/** The problem with the body's `timezoneDesignator`, if it names no known zone. */
export function timeZoneProblem(body: DataViewBody): string | undefined {
  if (body.timezoneDesignator !== undefined && !isKnownTimeZone(body.timezoneDesignator)) {
    return `Invalid timezoneDesignator: ${body.timezoneDesignator}`;
  }
  return undefined;
}

/** Copy the writable fields present in `body` onto `target` (a partial update). */
export function applyWritableFields(target: StoredDataView, body: DataViewBody): void {
  const record = target as Record<string, unknown>;
  for (const field of WRITABLE_FIELDS) {
    if (body[field] !== undefined) record[field] = clone(body[field]);
  }
  target.sessionDefinition = target.sessionDefinition.map(normaliseSession);
}

function normaliseSession(session: SessionDefinition): SessionDefinition {
  return { ...session, granularity: lowerEnum(session.granularity), func: lowerEnum(session.func) };
}

/** The writable fields a body carries: a write's response echoes them. */
export function writtenFields(body: DataViewBody): string[] {
  return WRITABLE_FIELDS.filter((field) => body[field] !== undefined);
}

const ALWAYS = ["id"] as const;
const ALIASES: ExpansionAliases = { modified: ["modifiedDate", "modifiedBy"] };

/**
 * A data view on the wire: `id`, the requested expansion, and `echo` (fields a write just set).
 * `currentTimezoneOffset` is the zone's offset at `nowMs`.
 */
export function dataViewView(dataView: StoredDataView, expansion: Iterable<string>, nowMs: number, echo: Iterable<string> = []): Record<string, unknown> {
  const withOffset = { ...dataView, currentTimezoneOffset: timeZoneOffsetHours(dataView.timezoneDesignator, nowMs) };
  return expand(withOffset, ALWAYS, [...expansion, ...echo], ALIASES);
}
