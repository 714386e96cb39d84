/**
 * Where Adobe's CJA API answers with values its own spec (cja.json) does not list, the emulator
 * validates against an in-memory copy of the spec widened by exactly these cases (the file is
 * never modified):
 *
 * 1. Enum casing. Adobe answers enums in lower case whatever casing the spec lists
 *    (`sessionDefinition` `MINUTE`/`INACTIVITY` → `minute`/`inactivity` in the data views guide;
 *    component `dataSetType` `event`, calculated metric `type` `decimal` in the guides' examples).
 *    Every string enum also accepts the lower-case form of each value.
 * 2. Component transformations: `fieldDefinition[].func` carries `split`, `url-parse`,
 *    `trim-trunc-trim`, `regex-replace`, `deduplicate` on the wire (observed by public readers of
 *    the component API) besides the spec's `RAW_FIELD | MATCH | FLOOR`.
 * 3. Allocation models: persistence and attribution `func` values are `allocation-lastTouch_dim`
 *    style on the wire (same source) besides the spec's `ALLOCATION_LAST_TOUCH_DIM` style, and
 *    expirations are `allocation-inactivity` / `allocation-afterEvents`.
 * 4. Calculated metrics answers as Adobe's guides show them (docs/ADOBE-API.md, "Calculated
 *    metrics: the shapes"): `GET /calculatedmetrics` answers the page envelope
 *    (`{content: [...], totalElements, lastPage, ...}`, the calculated metrics guide) where the spec
 *    says a bare array, and `POST /calculatedmetrics/validate` answers
 *    `{valid, identityMetrics, functions, validator_version, ...}` without the `definition` the
 *    spec's schema requires (the validate guide).
 * 5. Segments (filters) and date ranges as Adobe's guides show them: component-spec-deviations.ts.
 */

import { withDocumentedComponentShapes } from "./component-spec-deviations";

/** Extra values per spec enum, found by a value the enum is known to contain. */
const OBSERVED_VALUES: { enumContaining: string; extra: string[] }[] = [
  { enumContaining: "RAW_FIELD", extra: ["split", "url-parse", "trim-trunc-trim", "regex-replace", "deduplicate"] },
  {
    enumContaining: "ALLOCATION_LAST_TOUCH_DIM",
    extra: [
      "allocation-lastTouch_dim",
      "allocation-firstTouch_dim",
      "allocation-participation_dim",
      "allocation-firstKnown_dim",
      "allocation-lastKnown_dim",
      "allocation-lastTouch",
      "allocation-firstTouch",
      "allocation-linear",
      "allocation-participation",
      "allocation-instance",
      "allocation-uShaped",
      "allocation-jShaped",
      "allocation-reverseJShaped",
      "allocation-timeDecay",
      "allocation-positionBased",
      "allocation-algorithmic",
    ],
  },
  { enumContaining: "afterEvents", extra: ["allocation-inactivity", "allocation-afterEvents"] },
];

function widenedEnum(values: unknown[]): unknown[] {
  if (!values.every((value) => typeof value === "string")) return values;
  const strings = values as string[];
  const extra = OBSERVED_VALUES.filter((entry) => strings.includes(entry.enumContaining)).flatMap((entry) => entry.extra);
  return [...new Set([...strings, ...strings.map((value) => value.toLowerCase()), ...extra])];
}

/**
 * A copy of the cja.json document with every body enum widened as described above. Parameter
 * enums (`expansion`, `includeType`, ...) are request-only and stay as Adobe lists them.
 */
export function withObservedCjaValues<T>(document: T): T {
  const visit = (value: unknown, inParameters: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => visit(item, inParameters));
    if (value && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>).map(([key, child]) => [
        key,
        key === "enum" && Array.isArray(child) && !inParameters ? widenedEnum(child) : visit(child, inParameters || key === "parameters"),
      ]);
      return Object.fromEntries(entries);
    }
    return value;
  };
  return withDocumentedComponentShapes(withDocumentedCalculatedMetricAnswers(visit(document, false) as T));
}

type Json = Record<string, unknown>;

const okSchema = (document: Json, path: string, method: string): Json | undefined => {
  const operation = ((document.paths as Json | undefined)?.[path] as Json | undefined)?.[method] as Json | undefined;
  const content = ((operation?.responses as Json | undefined)?.["200"] as Json | undefined)?.content as Json | undefined;
  return (content?.["application/json"] as Json | undefined) ?? undefined;
};

function withDocumentedCalculatedMetricAnswers<T>(document: T): T {
  const list = okSchema(document as Json, "/calculatedmetrics", "get");
  if (list?.schema) {
    const array = list.schema as Json;
    list.schema = { anyOf: [array, { type: "object", required: ["content"], properties: { content: array } }] };
  }
  const validate = okSchema(document as Json, "/calculatedmetrics/validate", "post")?.schema as Json | undefined;
  if (validate && Array.isArray(validate.required)) validate.required = validate.required.filter((field) => field !== "definition");
  return document;
}
