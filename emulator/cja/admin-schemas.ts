/**
 * Bodies of the CJA admin routes (the person at the Adobe UI): connections with their datasets,
 * data views, and data view components with their settings, in Adobe's wire names. Unknown keys
 * are rejected so a typo is named in the 400 instead of silently ignored; enums are accepted in
 * any case and stored in the lower case Adobe answers with.
 */
import { z } from "zod";
import { lowerEnum } from "./wire";

const caseInsensitiveEnum = (values: readonly [string, ...string[]]) => z.string().transform(lowerEnum).pipe(z.enum(values));

export const dataSetInputSchema = z.strictObject({
  dataSetId: z.string().min(1),
  name: z.string().min(1),
  type: caseInsensitiveEnum(["event", "profile", "lookup", "summary"]),
  domain: z.string().default("catalog"),
  timestampId: z.string().optional(),
  visitorId: z.string().optional(),
  identityNamespace: z.string().optional(),
  identityNamespaceCol: z.string().optional(),
  usePrimaryIdNamespace: z.boolean().optional(),
  identityMap: z.boolean().optional(),
  lookupKeyField: z.string().optional(),
  lookupParentFields: z.array(z.string()).optional(),
  streaming: z.boolean().optional(),
  schemaInfo: z.strictObject({ schemaId: z.string().optional(), schemaName: z.string().optional() }).optional(),
  dataSourceType: z.strictObject({ id: z.string().optional(), type: z.string().optional(), description: z.string().optional() }).optional(),
  containerFields: z.array(z.strictObject({ container: z.string(), systemFieldValue: z.string() })).optional(),
});

/** `dg_<uuid>`: Adobe reports the uuid part as `idWithoutPrefix` (format uuid). */
export const CONNECTION_ID = /^dg_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ownerSchema = z.strictObject({
  imsUserId: z.string().min(1),
  ownerId: z.string().optional(),
  type: z.enum(["imsUser", "systemUser"]).optional(),
});

export const connectionInputSchema = z
  .strictObject({
    id: z.string().regex(CONNECTION_ID, "must be dg_ followed by a uuid").optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    sandboxId: z.string().optional(),
    sandboxName: z.string().default("prod"),
    owner: ownerSchema.optional(),
    externalData: z.strictObject({ externalId: z.string().optional() }).optional(),
    dataSets: z.array(dataSetInputSchema).default([]),
    primaryIdType: z.string().optional(),
    configuredContainers: z.array(z.strictObject({ container: z.string() })).optional(),
    backfillEnabled: z.boolean().optional(),
    caseSensitive: z.boolean().optional(),
    dataRetentionMonths: z.number().int().optional(),
    floatPrecision: z.number().int().optional(),
  })
  .superRefine((connection, issues) => {
    const seen = new Set<string>();
    connection.dataSets.forEach((dataSet, index) => {
      if (seen.has(dataSet.dataSetId)) {
        issues.addIssue({ code: "custom", path: ["dataSets", index, "dataSetId"], message: `duplicate dataSetId ${dataSet.dataSetId}` });
      }
      seen.add(dataSet.dataSetId);
    });
  });

export type ConnectionInput = z.output<typeof connectionInputSchema>;

const includeExcludeSchema = z.strictObject({
  enabled: z.boolean(),
  caseSensitive: z.boolean().optional(),
  match: caseInsensitiveEnum(["and", "or"]).optional(),
  type: caseInsensitiveEnum(["string", "numeric", "date"]).optional(),
  rules: z.array(z.strictObject({ clause: z.string().min(1), value: z.string() })).optional(),
});

/** Allocation and expiration settings: Adobe's spec and observed wire values differ, so kept open. */
const allocationSettingSchema = z.looseObject({
  enabled: z.boolean(),
  allocationModel: z.looseObject({ func: z.string() }).optional(),
  attributionModel: z.looseObject({ func: z.string() }).optional(),
  lookback: z.looseObject({}).optional(),
});

const commonComponentShape = {
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  sourceFieldId: z.string().optional(),
  sourceFieldName: z.string().optional(),
  sourceFieldType: z.string().optional(),
  schemaPath: z.string().optional(),
  schemaType: z.string().optional(),
  storageId: z.string().optional(),
  tableName: z.string().optional(),
  dataSetIds: z.array(z.string()).optional(),
  dataSetType: caseInsensitiveEnum(["event", "lookup", "profile", "summary"]).optional(),
  type: caseInsensitiveEnum(["string", "boolean", "int", "decimal", "currency", "percent", "time", "enum", "ordered_enum"]).optional(),
  hidden: z.boolean().optional(),
  hideFromReporting: z.boolean().optional(),
  hasData: z.boolean().optional(),
  segmentable: z.boolean().optional(),
  required: z.boolean().optional(),
  multiValued: z.boolean().optional(),
  fromGlobalLookup: z.boolean().optional(),
  favorite: z.boolean().optional(),
  approved: z.boolean().optional(),
  precision: z.number().int().optional(),
  includeExcludeSetting: includeExcludeSchema.optional(),
  /** Transformations; a substring split is Adobe's observed `[{func: "RAW_FIELD", …}, {func: "split", …}]`. */
  fieldDefinition: z.array(z.looseObject({ func: z.string().min(1) })).optional(),
  behaviorSetting: z.looseObject({ lowercase: z.boolean().optional() }).optional(),
  substringSetting: z.looseObject({ enabled: z.boolean() }).optional(),
  /** UI "Context labels" (e.g. "Experimentation Experiment"); no field in Adobe's public API. */
  contextLabels: z.array(z.string().min(1)).optional(),
};

export const dimensionInputSchema = z.strictObject({
  ...commonComponentShape,
  persistenceSetting: allocationSettingSchema.optional(),
  noValueOptionsSetting: z
    .strictObject({
      option: z.string().optional(),
      value: z.string().optional(),
      includeNoneByDefault: z.boolean().optional(),
      noneChangeable: z.boolean().optional(),
      noneSettingType: z.string().optional(),
      customNoneValue: z.string().optional(),
    })
    .optional(),
  bucketingSetting: z.strictObject({ enabled: z.boolean(), bucketSettings: z.array(z.strictObject({ from: z.number(), to: z.number() })).optional() }).optional(),
  defaultDimensionSort: z.boolean().optional(),
});

export const metricInputSchema = z.strictObject({
  ...commonComponentShape,
  countType: caseInsensitiveEnum(["instances", "values"]).optional(),
  formatSetting: z
    .strictObject({
      polarity: z.string().optional(),
      formatType: z.string().optional(),
      decimalPlaces: z.number().int().optional(),
      currency: z.string().optional(),
    })
    .optional(),
  attributionSetting: allocationSettingSchema.optional(),
});

export type ComponentInput = z.output<typeof dimensionInputSchema> | z.output<typeof metricInputSchema>;

export const componentInputSchemas = { dimensions: dimensionInputSchema, metrics: metricInputSchema } as const;
export const componentPatchSchemas = { dimensions: dimensionInputSchema.partial(), metrics: metricInputSchema.partial() } as const;

const dimensionWithIdSchema = dimensionInputSchema.extend({ id: z.string().min(1) });
const metricWithIdSchema = metricInputSchema.extend({ id: z.string().min(1) });

/** Bulk upsert of components (each with its id). `replace: true` first removes every other one. */
export const componentsBulkSchema = z.strictObject({
  replace: z.boolean().default(false),
  dimensions: z.array(dimensionWithIdSchema).default([]),
  metrics: z.array(metricWithIdSchema).default([]),
});

/** A data view seeded as the UI would leave it, optionally with its components. */
export const dataViewSeedSchema = z.strictObject({
  id: z.string().regex(/^dv_/, 'must start with "dv_"').optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  parentDataGroupId: z.string().min(1),
  timezoneDesignator: z.string().min(1),
  owner: ownerSchema.optional(),
  segmentList: z.array(z.string()).optional(),
  curationEnabled: z.boolean().optional(),
  sessionDefinition: z
    .array(
      z.strictObject({
        numPeriods: z.number().int(),
        granularity: caseInsensitiveEnum(["minute", "hour", "day", "week"]),
        func: caseInsensitiveEnum(["inactivity", "before_events"]),
        events: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  externalData: z.strictObject({ externalId: z.string().optional(), externalParentId: z.string().optional() }).optional(),
  containerNames: z.strictObject({ event: z.string().optional(), session: z.string().optional(), people: z.string().optional() }).optional(),
  dimensions: z.array(dimensionWithIdSchema).default([]),
  metrics: z.array(metricWithIdSchema).default([]),
});

export type DataViewSeed = z.output<typeof dataViewSeedSchema>;
