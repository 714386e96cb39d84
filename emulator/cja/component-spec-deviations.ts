/**
 * Where cja.json's schemas for segments (filters) and date ranges cannot hold what Adobe's guides
 * show on the wire, the emulator's in-memory copy of the spec is widened by exactly these cases
 * (docs/ADOBE-API.md, "Filters and date ranges: where the spec and the guides disagree"):
 *
 * 1. Segment `definition`, `compatibility`, `tags[]`, `shares[]`, `usageSummary` are typed as maps
 *    whose every value is an object (`additionalProperties: {type: object}`), so the guides'
 *    `{"func": "segment", "version": [1, 0, 0], ...}` and `{"valid": true, ...}` cannot pass: each
 *    such map is read as any object.
 * 2. `GET /segments` answers the guides' page envelope (`content`, `totalElements`, ...; the
 *    segments guide), where the spec types the answer as a map of objects.
 * 3. `POST /segments/validate` takes the validate guide's JSON object (`dataId`, `name`,
 *    `definition`), where the spec types the body as a string.
 * 4. `GET /dateranges` answers the date ranges guide's page envelope where the spec says one
 *    `AnalyticsDateRange`; a date range's `definition` is the guide's string (`"tm/tm+1m"`), the
 *    spec says object; `Owner.imsUserId` is an IMS user id string (`"format": "string"` in the spec
 *    itself, strings in every example), the spec's `type` says integer.
 * 5. Shares and tags: `PUT /componentmetadata/shares` answers the shares guide's array of
 *    components where the spec says one; `POST /componentmetadata/shares/component/search` and the
 *    lists `GET /componentmetadata/shares`, `GET /componentmetadata/tags` answer the guides' page
 *    envelope where the spec says one object or a bare array.
 * 6. A calculated metric's `tags[]` and `shares[]` are typed as the same maps of objects as a
 *    segment's (1), so the shares guide's `{"shareToType": "group", "shareToId": 123}` cannot pass
 *    in the answers of `/calculatedmetrics` and `/calculatedmetrics/{id}`: each is read as any object.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** `{type: object, additionalProperties: {type: object, ...}}` (a Java map of objects) → `{type: object}`, everywhere under `schema`. */
function anyObjectMaps(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anyObjectMaps);
  if (!isObject(schema)) return schema;
  const additional = schema.additionalProperties;
  if (schema.type === "object" && isObject(additional) && additional.type === "object" && !schema.properties) return { type: "object" };
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, anyObjectMaps(value)]));
}

function operation(document: Json, path: string, method: string): Json | undefined {
  return ((document.paths as Json | undefined)?.[path] as Json | undefined)?.[method] as Json | undefined;
}

function jsonContent(holder: Json | undefined): Json | undefined {
  return (holder?.content as Json | undefined)?.["application/json"] as Json | undefined;
}

const pageOf = (item: unknown) => ({ type: "object", required: ["content"], properties: { content: { type: "array", items: item } } });

export function withDocumentedComponentShapes<T>(document: T): T {
  const doc = document as Json;
  const segmentOperations: Array<[string, string]> = [
    ["/segments", "post"],
    ["/segments/{id}", "get"],
    ["/segments/{id}", "put"],
    // 6. The same maps of objects type a calculated metric's `tags[]` and `shares[]`.
    ["/calculatedmetrics", "get"],
    ["/calculatedmetrics", "post"],
    ["/calculatedmetrics/{id}", "get"],
    ["/calculatedmetrics/{id}", "put"],
  ];
  for (const [path, method] of segmentOperations) {
    const op = operation(doc, path, method);
    if (!op) continue;
    const request = jsonContent(op.requestBody as Json | undefined);
    if (request?.schema) request.schema = anyObjectMaps(request.schema);
    const answer = jsonContent((op.responses as Json | undefined)?.["200"] as Json | undefined);
    if (answer?.schema) answer.schema = anyObjectMaps(answer.schema);
  }
  const one = jsonContent((operation(doc, "/segments/{id}", "get")?.responses as Json | undefined)?.["200"] as Json | undefined)?.schema;
  const list = jsonContent((operation(doc, "/segments", "get")?.responses as Json | undefined)?.["200"] as Json | undefined);
  if (list && one) list.schema = pageOf(one);
  const validate = jsonContent(operation(doc, "/segments/validate", "post")?.requestBody as Json | undefined);
  if (validate) validate.schema = { type: "object" };

  const schemas = (doc.components as Json | undefined)?.schemas as Json | undefined;
  const dateRange = schemas?.AnalyticsDateRange as Json | undefined;
  const dateRangeProperties = dateRange?.properties as Json | undefined;
  if (dateRangeProperties?.definition) dateRangeProperties.definition = { anyOf: [{ type: "string" }, { type: "object" }] };
  const ownerProperties = (schemas?.Owner as Json | undefined)?.properties as Json | undefined;
  if (ownerProperties?.imsUserId) ownerProperties.imsUserId = { type: "string" };
  const dateRanges = jsonContent((operation(doc, "/dateranges", "get")?.responses as Json | undefined)?.["200"] as Json | undefined);
  if (dateRanges?.schema) dateRanges.schema = pageOf(dateRanges.schema);
  // 5. Shares and tags as their guides answer them.
  const shares = jsonContent((operation(doc, "/componentmetadata/shares", "put")?.responses as Json | undefined)?.["200"] as Json | undefined);
  if (shares?.schema) shares.schema = { anyOf: [shares.schema, { type: "array", items: shares.schema }] };
  const search = jsonContent((operation(doc, "/componentmetadata/shares/component/search", "post")?.responses as Json | undefined)?.["200"] as Json | undefined);
  if (search?.schema) search.schema = { anyOf: [search.schema, pageOf(search.schema)] };
  for (const path of ["/componentmetadata/shares", "/componentmetadata/tags"]) {
    const listed = jsonContent((operation(doc, path, "get")?.responses as Json | undefined)?.["200"] as Json | undefined);
    if (listed?.schema) listed.schema = { anyOf: [listed.schema, pageOf((listed.schema as Json).items)] };
  }
  return document;
}
