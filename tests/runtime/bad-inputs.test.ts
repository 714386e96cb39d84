/**
 * Bad inputs and settings of every resource type, one table: each fails in `check` naming exactly
 * its input (the engine prints `property <name> value ... has a problem: <reason>`, so the reason
 * never starts with the name again), says what was expected, and sends Adobe nothing: no request
 * at all when the inputs alone are wrong, no write when the check must read Adobe to tell. Bad
 * settings stop the first check that needs Adobe, naming the one `adobe:*` key, before any request.
 */
import { InvalidSettingError, MissingSettingsError } from "../../provider/adobe/settings";
import { FORMULA_LIMITS } from "../../provider/runtime/formula";
import { InputError } from "../../provider/runtime/resource-handler";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { GOLD, PERSON_ID_FIELD, PROFILE_UNION, SANDBOX_ADMIN, seedAudiences } from "../resources/aep-fixtures";
import {
  AJO_CONNECTION_ID,
  ajoDimension,
  ajoMetric,
  Engine,
  expectFailure,
  rejectionOf,
  requestLines,
  seedAjo,
  startProvider,
  TEMPLATE_DATA_VIEW_ID,
  UNKNOWN,
  writes,
  type Props,
} from "../resources/support";

type Failures = Array<{ property: string; reason: string }>;

const DV = TEMPLATE_DATA_VIEW_ID;
const EXPORT_TARGET = "5e0000000000000000000e01";
const PROFILE_DATASET = "5e0000000000000000000e02";
const MEMBERSHIP_SCHEMA = "https://ns.adobe.com/acme/schemas/audience-membership";

/** Inputs of each type that pass `check`; every case changes one of them. */
const GOOD: Record<string, Props> = {
  "cja:DataView": { name: "AJO reporting", connectionId: AJO_CONNECTION_ID, timezone: "US/Mountain" },
  "cja:Dimension": { dataViewId: DV, componentId: ajoDimension("Channel").componentId, name: "Channel" },
  "cja:Metric": { dataViewId: DV, componentId: ajoMetric("Sends").componentId, name: "Sends" },
  "cja:CalculatedMetric": {
    dataViewId: DV,
    name: "Delivered",
    formula: "[Sends] - [Bounces After Delivery]",
    metrics: { Sends: "metrics/sends", "Bounces After Delivery": "metrics/bounces_after_delivery" },
  },
  "cja:Filter": { dataViewId: DV, name: "Email channel", definition: { context: "event", rules: [{ dimension: ajoDimension("Channel").componentId, equals: "email" }] } },
  "cja:DateRange": { name: "This month", definition: "tm/tm+1m" },
  "cja:Connection": { connectionId: AJO_CONNECTION_ID, datasets: [{ datasetId: "ds_feedback", type: "event", personIdField: "IdentityMap" }] },
  "aep:Dataset": { name: "Export target", schemaId: PROFILE_UNION },
  "aep:AudienceExportJob": { audienceIds: [GOLD.id], fields: [PERSON_ID_FIELD], destinationDatasetId: EXPORT_TARGET, pollIntervalSeconds: 0.1 },
  "aep:AudienceMembershipTransform": {
    sourceDatasetId: EXPORT_TARGET,
    sourceBatchId: "01H00BKCTCADYRFACAAKJTVQ8P",
    targetDatasetId: PROFILE_DATASET,
    tenantNamespace: "_acme",
    audienceIds: [GOLD.id],
    personIdField: PERSON_ID_FIELD,
    pollIntervalSeconds: 0.1,
  },
  "aep:FieldGroup": { title: "Audience fields", fields: { audienceMembershipId: { type: "string" } } },
  "aep:Schema": { title: "Audience membership", fieldGroupIds: ["https://ns.adobe.com/acme/mixins/0123"], primaryIdentity: { path: "personID", namespace: "Email" }, enableProfile: true },
};

interface BadInput {
  type: string;
  what: string;
  change: Props;
  /** The one input the failure names. */
  property: string;
  /** What the reason says (matched as `<property>: <reason>`, `<property>[0]: ...` or `<property>.<path>: ...`). */
  reason: RegExp;
}

const bad = (type: string, what: string, change: Props, property: string, reason: RegExp): BadInput => ({ type, what, change, property, reason });

const long = (prefix: string, length = 300) => prefix + "a".repeat(length - prefix.length);
const NOT_DATA_VIEW = /is not a data view id: a data view id is dv_ followed by letters and digits, at most 255 characters/;
const NOT_CONNECTION = /is not a connection id: a connection id is dg_ followed by letters, digits and hyphens/;
const NOT_DATASET = /is not a dataset id: a dataset id is 24 hex digits/;
const NOT_AUDIENCE = /is not an audience id: an audience id is a UUID/;
const EMPTY = /: must not be empty$/;
const TOO_LONG_NAME = /: must be at most 255 characters$/;
const CONTROL = /: must not contain control characters/;
const NOT_ZONE = /: is not an IANA time zone \(e\.g\. US\/Mountain/;
const OFFSET = /is a UTC offset; give an IANA time zone name instead/;
const SPELLING = /is not spelt as the IANA time zone database spells it/;
const NOT_INPUT = (type: string) => new RegExp(`: is not an input of ${type}; its inputs are `);

const names: BadInput[] = [
  bad("cja:DataView", "an empty name", { name: "" }, "name", EMPTY),
  bad("cja:DataView", "a name of 256 characters", { name: "n".repeat(256) }, "name", TOO_LONG_NAME),
  bad("cja:DataView", "a name with a line break", { name: "AJO\nreporting" }, "name", CONTROL),
  bad("cja:DataView", "a name with a tab", { name: "AJO\treporting" }, "name", CONTROL),
  bad("cja:DataView", "a number for the name", { name: 5 }, "name", /expected string, received number/),
  bad("cja:Dimension", "an empty name", { name: "" }, "name", EMPTY),
  bad("cja:Dimension", "a name of 256 characters", { name: "d".repeat(256) }, "name", TOO_LONG_NAME),
  bad("cja:Dimension", "a name with a bell character", { name: "Channel\u0007" }, "name", CONTROL),
  bad("cja:Metric", "a blank name", { name: "   " }, "name", EMPTY),
  bad("cja:Metric", "a name with a tab", { name: "Se\tnds" }, "name", CONTROL),
  bad("cja:CalculatedMetric", "a name of 256 characters", { name: "c".repeat(256) }, "name", TOO_LONG_NAME),
  bad("cja:CalculatedMetric", "a name with a carriage return", { name: "Deli\rvered" }, "name", CONTROL),
  bad("aep:Dataset", "an empty name", { name: "" }, "name", EMPTY),
  bad("aep:Dataset", "a name of 256 characters", { name: "x".repeat(256) }, "name", TOO_LONG_NAME),
  bad("aep:Dataset", "a name with a NUL character", { name: "Export\u0000target" }, "name", CONTROL),
  bad("cja:Connection", "a name of 256 characters", { connectionId: undefined, name: "c".repeat(256) }, "name", TOO_LONG_NAME),
  bad("cja:Connection", "a name with a line break", { connectionId: undefined, name: "AJO\nconnection" }, "name", CONTROL),
];

const timeZones: BadInput[] = [
  bad("cja:DataView", "an unknown time zone", { timezone: "US/Atlantis" }, "timezone", NOT_ZONE),
  bad("cja:DataView", "a planet's time zone", { timezone: "Mars/Olympus_Mons" }, "timezone", NOT_ZONE),
  bad("cja:DataView", "an empty time zone", { timezone: "" }, "timezone", EMPTY),
  bad("cja:DataView", "a blank time zone", { timezone: "  " }, "timezone", EMPTY),
  bad("cja:DataView", "an offset +05:00", { timezone: "+05:00" }, "timezone", OFFSET),
  bad("cja:DataView", "an offset -08:00", { timezone: "-08:00" }, "timezone", OFFSET),
  bad("cja:DataView", "an offset +0530", { timezone: "+0530" }, "timezone", OFFSET),
  bad("cja:DataView", "an offset UTC+5", { timezone: "UTC+5" }, "timezone", OFFSET),
  bad("cja:DataView", "an offset GMT-8", { timezone: "GMT-8" }, "timezone", OFFSET),
  bad("cja:DataView", "a lower-case utc", { timezone: "utc" }, "timezone", SPELLING),
  bad("cja:DataView", "a lower-case us/mountain", { timezone: "us/mountain" }, "timezone", SPELLING),
  bad("cja:DataView", "the letter Z", { timezone: "Z" }, "timezone", NOT_ZONE),
  bad("cja:DataView", "a number for the time zone", { timezone: -7 }, "timezone", /expected string, received number/),
];

const ids: BadInput[] = [
  bad("cja:DataView", "an empty connectionId", { connectionId: "" }, "connectionId", EMPTY),
  bad("cja:DataView", "a data view id as connectionId", { connectionId: DV }, "connectionId", NOT_CONNECTION),
  bad("cja:DataView", "a connectionId with a space", { connectionId: "dg_6f1c2a3b 4d5e" }, "connectionId", NOT_CONNECTION),
  bad("cja:DataView", "a connectionId of 300 characters", { connectionId: long("dg_") }, "connectionId", /\(300 characters\) is not a connection id/),
  bad("cja:DataView", "a connection's name as connectionId", { connectionId: "AJO connection" }, "connectionId", NOT_CONNECTION),
  bad("cja:DataView", "an empty copyFrom", { copyFrom: "" }, "copyFrom", EMPTY),
  bad("cja:DataView", "a connection id as copyFrom", { copyFrom: AJO_CONNECTION_ID }, "copyFrom", NOT_DATA_VIEW),
  bad("cja:DataView", "a copyFrom with a space", { copyFrom: "dv_ajo template" }, "copyFrom", NOT_DATA_VIEW),
  bad("cja:DataView", "a copyFrom of 300 characters", { copyFrom: long("dv_") }, "copyFrom", /\(300 characters\) is not a data view id/),
  bad("cja:DataView", "a copyFrom with a hyphen", { copyFrom: "dv_ajo-template" }, "copyFrom", NOT_DATA_VIEW),
  bad("cja:Dimension", "an empty dataViewId", { dataViewId: "" }, "dataViewId", EMPTY),
  bad("cja:Dimension", "a dataViewId without dv_", { dataViewId: "62ba17d5a5d7845496f5fb4d" }, "dataViewId", NOT_DATA_VIEW),
  bad("cja:Dimension", "a dataViewId with a space", { dataViewId: "dv_62ba 17d5" }, "dataViewId", NOT_DATA_VIEW),
  bad("cja:Dimension", "a dataViewId of 300 characters", { dataViewId: long("dv_") }, "dataViewId", NOT_DATA_VIEW),
  bad("cja:Dimension", "a metric id as componentId", { componentId: "metrics/sends" }, "componentId", /: is a metric id \(metrics\/\.\.\.\); a dimension id starts with variables\//),
  bad("cja:Dimension", "a componentId with a space", { componentId: "variables/journey name" }, "componentId", /is not a dimension id: a dimension id is variables\/ followed by a name without spaces/),
  bad("cja:Dimension", "a componentId of 300 characters", { componentId: long("variables/") }, "componentId", /is not a dimension id/),
  bad("cja:Dimension", "a componentId that is only the prefix", { componentId: "variables/" }, "componentId", /"variables\/" is not a dimension id/),
  bad("cja:Metric", "a connection id as dataViewId", { dataViewId: AJO_CONNECTION_ID }, "dataViewId", NOT_DATA_VIEW),
  bad("cja:Metric", "a dimension id as componentId", { componentId: "variables/channel" }, "componentId", /: is a dimension id \(variables\/\.\.\.\); a metric id starts with metrics\//),
  bad("cja:Metric", "a componentId with a tab", { componentId: "metrics/se\tnds" }, "componentId", /is not a metric id/),
  bad("cja:Metric", "a componentId of 300 characters", { componentId: long("metrics/") }, "componentId", /is not a metric id/),
  bad("cja:CalculatedMetric", "a data view's name as dataViewId", { dataViewId: "AJO reporting" }, "dataViewId", NOT_DATA_VIEW),
  bad("cja:CalculatedMetric", "an empty dataViewId", { dataViewId: "" }, "dataViewId", EMPTY),
  bad("cja:CalculatedMetric", "a metric id with a space", { metrics: { Sends: "metrics/se nds", "Bounces After Delivery": "metrics/bounces_after_delivery" } }, "metrics", /^metrics\.Sends: "metrics\/se nds" is not a metric id/),
  bad("cja:CalculatedMetric", "an empty metric id", { metrics: { Sends: "", "Bounces After Delivery": "metrics/bounces_after_delivery" } }, "metrics", /^metrics\.Sends: must not be empty/),
  bad("cja:CalculatedMetric", "a metric id of 300 characters", { metrics: { Sends: long("metrics/"), "Bounces After Delivery": "metrics/bounces_after_delivery" } }, "metrics", /is not a metric id/),
  bad("cja:Connection", "an empty connectionId", { connectionId: "" }, "connectionId", EMPTY),
  bad("cja:Connection", "a data view id as connectionId", { connectionId: DV }, "connectionId", NOT_CONNECTION),
  bad("cja:Connection", "a connectionId with a space", { connectionId: "dg_ 6f1c2a3b" }, "connectionId", NOT_CONNECTION),
  bad("cja:Connection", "a connectionId of 300 characters", { connectionId: long("dg_") }, "connectionId", NOT_CONNECTION),
  bad("cja:Connection", "a dataset id with a space", { datasets: [{ datasetId: "ds feedback", type: "event" }] }, "datasets", /^datasets\[0\]\.datasetId: "ds feedback" is not a dataset id/),
  bad("cja:Connection", "a dataset id of 300 characters", { datasets: [{ datasetId: long("ds_"), type: "event" }] }, "datasets", /^datasets\[0\]\.datasetId: .* is not a dataset id/),
  bad("cja:Connection", "an empty dataset id", { datasets: [{ datasetId: "", type: "event" }] }, "datasets", /^datasets\[0\]\.datasetId: must not be empty/),
  bad("aep:Dataset", "a data view id as datasetId", { datasetId: DV }, "datasetId", NOT_DATASET),
  bad("aep:Dataset", "a datasetId of 23 hex digits", { datasetId: "5e0000000000000000000e0" }, "datasetId", NOT_DATASET),
  bad("aep:Dataset", "a datasetId of 25 hex digits", { datasetId: "5e0000000000000000000e011" }, "datasetId", NOT_DATASET),
  bad("aep:Dataset", "a datasetId with a non-hex letter", { datasetId: "5e0000000000000000000e0g" }, "datasetId", NOT_DATASET),
  bad("aep:Dataset", "a datasetId with a space", { datasetId: "5e00000000 0000000000e01" }, "datasetId", NOT_DATASET),
  bad("aep:AudienceExportJob", "an audience name as audience id", { audienceIds: ["Gold Members"] }, "audienceIds", /^audienceIds\[0\]: "Gold Members" is not an audience id/),
  bad("aep:AudienceExportJob", "an empty audience id", { audienceIds: [""] }, "audienceIds", /^audienceIds\[0\]: must not be empty/),
  bad("aep:AudienceExportJob", "a UUID without hyphens", { audienceIds: [GOLD.id.replace(/-/g, "")] }, "audienceIds", NOT_AUDIENCE),
  bad("aep:AudienceExportJob", "an audience id of 300 characters", { audienceIds: [long("3f1c9a52-")] }, "audienceIds", NOT_AUDIENCE),
  bad("aep:AudienceExportJob", "a merge policy id with a space", { mergePolicyId: "timestampOrdered none" }, "mergePolicyId", /is not a merge policy id: a merge policy id is made of letters, digits, _ and -/),
  bad("aep:AudienceExportJob", "a merge policy id of 300 characters", { mergePolicyId: long("mp-") }, "mergePolicyId", /is not a merge policy id/),
  bad("aep:AudienceExportJob", "a data view id as destinationDatasetId", { destinationDatasetId: DV }, "destinationDatasetId", NOT_DATASET),
  bad("aep:AudienceExportJob", "an empty destinationDatasetId", { destinationDatasetId: "" }, "destinationDatasetId", EMPTY),
  bad("aep:AudienceMembershipTransform", "a dataset name as sourceDatasetId", { sourceDatasetId: "Segment Export Job Dataset" }, "sourceDatasetId", NOT_DATASET),
  bad("aep:AudienceMembershipTransform", "a targetDatasetId of 300 characters", { targetDatasetId: long("5e") }, "targetDatasetId", NOT_DATASET),
  bad("aep:AudienceMembershipTransform", "an audience id that is no UUID", { audienceIds: ["gold"] }, "audienceIds", NOT_AUDIENCE),
  bad("aep:AudienceMembershipTransform", "a tenant id without its underscore", { tenantNamespace: "acme" }, "tenantNamespace", /must be _ followed by the org's tenant id/),
  bad("aep:AudienceMembershipTransform", "a batch id with a space", { sourceBatchId: "batch 1" }, "sourceBatchId", /must be a Catalog batch id/),
  bad("aep:AudienceMembershipTransform", "an unknown layout", { layout: "csv" }, "layout", /commaSeparated|objectArray/),
  bad("aep:AudienceMembershipTransform", "11 audiences", { audienceIds: Array.from({ length: 11 }, (_, i) => `3f1c9a52-7b1e-4c8a-9d2f-0a1b2c3d4e${String(i).padStart(2, "0")}`) }, "audienceIds", /at most 10 audiences/),
  bad("aep:FieldGroup", "a field name starting with _", { fields: { _id2: { type: "string" } } }, "fields", /may not start with an underscore/),
  bad("aep:FieldGroup", "an unknown field type", { fields: { n: { type: "text" } } }, "fields", /n\.type/),
  bad("aep:FieldGroup", "an empty title", { title: "" }, "title", EMPTY),
  bad("aep:Schema", "Profile without a primary identity", { primaryIdentity: undefined }, "primaryIdentity", /needs a primary identity/),
  bad("aep:Schema", "an identity path with a slash", { primaryIdentity: { path: "/personID", namespace: "Email" } }, "primaryIdentity", /dot notation/),
  bad("aep:Schema", "a field group listed twice", { fieldGroupIds: ["https://ns.adobe.com/acme/mixins/0123", "https://ns.adobe.com/acme/mixins/0123"] }, "fieldGroupIds", /lists a field group twice/),
];

const formula = (text: string) => ({ formula: text });
const formulas: BadInput[] = [
  bad("cja:CalculatedMetric", "an empty formula", formula(""), "formula", /: empty formula$/),
  bad("cja:CalculatedMetric", "a blank formula", formula("   "), "formula", /: empty formula$/),
  bad("cja:CalculatedMetric", "an unclosed parenthesis", formula("([Sends] - [Bounces After Delivery]"), "formula", /: unbalanced parenthesis: "\(" opened at position 0 is never closed/),
  bad("cja:CalculatedMetric", "a parenthesis closed twice", formula("[Sends])"), "formula", /: unexpected "\)" at position 7/),
  bad("cja:CalculatedMetric", "an unclosed bracket", formula("[Sends - [Bounces After Delivery]"), "formula", /: unbalanced bracket/),
  bad("cja:CalculatedMetric", "a stray closing bracket", formula("[Sends]]"), "formula", /: unexpected "\]" at position 7/),
  bad("cja:CalculatedMetric", "a metric name the metrics do not map", formula("[Sends] - [Opens]"), "formula", /: unknown metric \[Opens\] at position 10; known: \[Sends\], \[Bounces After Delivery\]/),
  bad("cja:CalculatedMetric", "a trailing operator", formula("[Sends] -"), "formula", /: expected a metric name like \[Sends\], a number, a function call or "\(" at position 9/),
  bad("cja:CalculatedMetric", "two metrics without an operator", formula("[Sends] [Bounces After Delivery]"), "formula", /: expected an operator/),
  bad("cja:CalculatedMetric", "an operator Adobe's formulas do not have", formula("[Sends] % 2"), "formula", /: unexpected character "%"/),
  bad("cja:CalculatedMetric", `more than ${FORMULA_LIMITS.characters} characters`, formula(`[Sends]${" ".repeat(FORMULA_LIMITS.characters)}`), "formula", /: is 20007 characters long; a formula may have at most 20000$/),
  bad("cja:CalculatedMetric", `more than ${FORMULA_LIMITS.terms} terms`, formula(`${"1 + ".repeat(FORMULA_LIMITS.terms)}[Sends]`), "formula", /: has 1001 metrics and numbers; a formula may have at most 1000$/),
  bad("cja:CalculatedMetric", `parentheses ${FORMULA_LIMITS.depth + 1} deep`, formula(`${"(".repeat(101)}[Sends]${")".repeat(101)}`), "formula", /: nests parentheses, calls and minus signs more than 100 deep at position 100$/),
  bad("cja:CalculatedMetric", "10,000 nested parentheses", formula(`${"(".repeat(10_000)}[Sends]${")".repeat(10_000)}`), "formula", /: is 20007 characters long/),
  bad("cja:CalculatedMetric", "10,000 unclosed parentheses", formula(`${"(".repeat(10_000)}[Sends]`), "formula", /: nests parentheses, calls and minus signs more than 100 deep/),
  bad("cja:CalculatedMetric", "8,400 unary minuses", formula(`${"-".repeat(8_400)}[Sends]`), "formula", /: nests parentheses, calls and minus signs more than 100 deep at position 100$/),
  bad("cja:CalculatedMetric", "a division by zero", formula("[Sends] / 0"), "formula", /: divides by zero at position 8$/),
  bad("cja:CalculatedMetric", "a division by a zero expression", formula("[Sends] / (2 - 2)"), "formula", /: divides by zero at position 8$/),
  bad("cja:CalculatedMetric", "a division by a number that underflows to zero", formula("[Sends] / 1e-400"), "formula", /: divides by zero/),
  bad("cja:CalculatedMetric", "numbers that overflow", formula("[Sends] * (1e308 * 10)"), "formula", /: the numbers at position 17 compute to Infinity, not a finite number$/),
  bad("cja:CalculatedMetric", "numbers that give NaN", formula("[Sends] / (1e308 * 10 - 1e308 * 10)"), "formula", /compute to NaN, not a finite number$/),
  bad("cja:CalculatedMetric", "a number too large to write", formula("[Sends] * 1e400"), "formula", /: number 1e400 at position 10 is too large/),
  bad("cja:CalculatedMetric", "numbers only", formula("1 + 2"), "formula", /: uses no metric; a calculated metric computes from at least one/),
  bad("cja:CalculatedMetric", "a negative number only", formula("-(3)"), "formula", /: uses no metric/),
  bad("cja:CalculatedMetric", "a number for the formula", formula(5 as unknown as string), "formula", /expected string, received number/),
  bad("cja:CalculatedMetric", "a dimension id in metrics", { metrics: { Sends: "variables/channel", "Bounces After Delivery": "metrics/bounces_after_delivery" } }, "metrics", /^metrics\.Sends: is a dimension id \(variables\/\.\.\.\); a formula can only use metrics/),
  bad("cja:CalculatedMetric", "an empty name in metrics", { metrics: { "": "metrics/sends", Sends: "metrics/sends", "Bounces After Delivery": "metrics/bounces_after_delivery" } }, "metrics", /^metrics: has an empty name; each key is a name the formula writes in brackets/),
  bad("cja:CalculatedMetric", "a list for metrics", { metrics: ["metrics/sends"] }, "metrics", /expected record, received array/),
];

const enums: BadInput[] = [
  bad("cja:CalculatedMetric", "an unknown type", { type: "money" }, "type", /: Invalid option: expected one of "decimal"\|"percent"\|"currency"\|"time"/),
  bad("cja:CalculatedMetric", "an unknown polarity", { polarity: "up" }, "polarity", /expected one of "positive"\|"negative"/),
  bad("cja:DataView", "an unknown session granularity", { sessionDefinition: [{ numPeriods: 30, granularity: "FORTNIGHT", func: "INACTIVITY" }] }, "sessionDefinition", /^sessionDefinition\[0\]\.granularity: Invalid option: expected one of "MINUTE"\|"HOUR"\|"DAY"\|"WEEK"/),
  bad("cja:DataView", "an unknown session func", { sessionDefinition: [{ numPeriods: 30, granularity: "MINUTE", func: "TIMEOUT" }] }, "sessionDefinition", /^sessionDefinition\[0\]\.func: Invalid option: expected one of "INACTIVITY"\|"BEFORE_EVENTS"/),
  bad("cja:Metric", "an unknown format type", { format: { type: "bytes" } }, "format", /^format\.type: Invalid option/),
  bad("cja:Metric", "an unknown format polarity", { format: { polarity: "neutral" } }, "format", /^format\.polarity: Invalid option/),
  bad("cja:Metric", "an unknown attribution model", { attribution: { model: "last-click", lookback: "session" } }, "attribution", /^attribution\.model: Invalid option/),
  bad("cja:Dimension", "an unknown persistence allocation", { persistence: { allocation: "latest", expiration: "session" } }, "persistence", /^persistence\.allocation: Invalid option/),
  bad("cja:Dimension", "an unknown include/exclude clause", { includeExclude: { rules: [{ clause: "like", value: "email" }] } }, "includeExclude", /^includeExclude\.rules\[0\]\.clause: Invalid option/),
  bad("cja:Connection", "an unknown dataset type", { datasets: [{ datasetId: "ds_feedback", type: "record" }] }, "datasets", /^datasets\[0\]\.type: Invalid option: expected one of "event"\|"profile"\|"lookup"\|"summary"/),
  bad("cja:Connection", "an unknown onDrift", { onDrift: "ignore" }, "onDrift", /expected one of "fail"\|"warn"/),
  bad("aep:AudienceExportJob", "the exited status", { statuses: ["realized", "exited"] }, "statuses", /^statuses\[1\]: exited members have left the audience/),
  bad("aep:AudienceMembershipTransform", "an unknown status", { statuses: ["pending"] }, "statuses", /^statuses\[0\]: Invalid option: expected one of "realized"\|"existing"/),
];

const numbers: BadInput[] = [
  bad("cja:CalculatedMetric", "a negative precision", { precision: -1 }, "precision", /: Too small: expected number to be >=0/),
  bad("cja:CalculatedMetric", "a precision of 11", { precision: 11 }, "precision", /: Too big: expected number to be <=10/),
  bad("cja:CalculatedMetric", "a fractional precision", { precision: 1.5 }, "precision", /expected int, received number/),
  bad("cja:CalculatedMetric", "a precision as text", { precision: "2" }, "precision", /expected number, received string/),
  bad("cja:Metric", "11 decimal places", { format: { decimalPlaces: 11 } }, "format", /^format\.decimalPlaces: Too big/),
  bad("cja:DataView", "a negative numPeriods", { sessionDefinition: [{ numPeriods: -30, granularity: "MINUTE", func: "INACTIVITY" }] }, "sessionDefinition", /^sessionDefinition\[0\]\.numPeriods: Too small: expected number to be >0/),
  bad("cja:DataView", "a numPeriods of zero", { sessionDefinition: [{ numPeriods: 0, granularity: "MINUTE", func: "INACTIVITY" }] }, "sessionDefinition", /^sessionDefinition\[0\]\.numPeriods: Too small/),
  bad("cja:DataView", "a fractional numPeriods", { sessionDefinition: [{ numPeriods: 2.5, granularity: "HOUR", func: "INACTIVITY" }] }, "sessionDefinition", /^sessionDefinition\[0\]\.numPeriods: Invalid input: expected int/),
  bad("cja:DataView", "a numPeriods beyond safe integers", { sessionDefinition: [{ numPeriods: 1e300, granularity: "DAY", func: "INACTIVITY" }] }, "sessionDefinition", /^sessionDefinition\[0\]\.numPeriods: Too big/),
  bad("aep:AudienceExportJob", "a poll interval of a microsecond", { pollIntervalSeconds: 1e-6 }, "pollIntervalSeconds", /: must be at least 0\.1 seconds$/),
  bad("aep:AudienceExportJob", "a poll interval of zero", { pollIntervalSeconds: 0 }, "pollIntervalSeconds", /: must be at least 0\.1 seconds$/),
  bad("aep:AudienceExportJob", "a negative poll interval", { pollIntervalSeconds: -15 }, "pollIntervalSeconds", /: must be at least 0\.1 seconds$/),
  bad("aep:AudienceExportJob", "a poll interval of 1e7 seconds", { pollIntervalSeconds: 1e7 }, "pollIntervalSeconds", /: must be at most 3600 seconds \(one hour\)$/),
  bad("aep:AudienceExportJob", 'a poll interval "NaN"', { pollIntervalSeconds: "NaN" }, "pollIntervalSeconds", /expected number, received string/),
  bad("aep:AudienceMembershipTransform", 'a poll interval "15s"', { pollIntervalSeconds: "15s" }, "pollIntervalSeconds", /expected number, received string/),
  bad("aep:AudienceMembershipTransform", "a poll interval of 0.05 seconds", { pollIntervalSeconds: 0.05 }, "pollIntervalSeconds", /: must be at least 0\.1 seconds$/),
  bad("aep:AudienceExportJob", "a timeout of zero", { timeoutSeconds: 0 }, "timeoutSeconds", /: must be at least 0\.1 seconds$/),
  bad("aep:AudienceExportJob", "a timeout beyond Node's timers", { timeoutSeconds: 2 ** 31 }, "timeoutSeconds", /: must be at most 86400 seconds \(24 hours\)$/),
  bad("aep:AudienceMembershipTransform", "a timeout of a day and a second", { timeoutSeconds: 86_401 }, "timeoutSeconds", /: must be at most 86400 seconds/),
  bad("aep:AudienceMembershipTransform", 'a timeout "1h"', { timeoutSeconds: "1h" }, "timeoutSeconds", /expected number, received string/),
  bad("aep:AudienceExportJob", "a qualification time that is no time", { qualificationTime: { startTime: "yesterday" } }, "qualificationTime", /^qualificationTime\.startTime: must be an ISO 8601 time in UTC/),
  bad("aep:AudienceExportJob", "a qualification window that ends before it starts", { qualificationTime: { startTime: "2024-05-02T00:00:00Z", endTime: "2024-05-01T00:00:00Z" } }, "qualificationTime", /^qualificationTime\.endTime: is before startTime$/),
];

const shapes: BadInput[] = [
  bad("cja:DataView", "a misspelt input", { connection: AJO_CONNECTION_ID }, "connection", NOT_INPUT("cja:DataView")),
  bad("cja:Dimension", "an input of another resource", { dataView: DV }, "dataView", NOT_INPUT("cja:Dimension")),
  bad("cja:Metric", "a misspelt format", { formatting: { type: "decimal" } }, "formatting", NOT_INPUT("cja:Metric")),
  bad("cja:CalculatedMetric", "a misspelt formula", { formulas: "[Sends]" }, "formulas", NOT_INPUT("cja:CalculatedMetric")),
  bad("cja:Connection", "a misspelt datasets", { dataset: [] }, "dataset", NOT_INPUT("cja:Connection")),
  bad("aep:Dataset", "a misspelt schemaId", { schema: PROFILE_UNION }, "schema", NOT_INPUT("aep:Dataset")),
  bad("aep:AudienceExportJob", "audienceId for audienceIds", { audienceId: GOLD.id }, "audienceId", NOT_INPUT("aep:AudienceExportJob")),
  bad("aep:AudienceMembershipTransform", "a misspelt audienceIds", { audiences: [GOLD.id] }, "audiences", NOT_INPUT("aep:AudienceMembershipTransform")),
  bad("cja:DataView", "a string for requiredComponents", { copyFrom: DV, requiredComponents: "metrics/sends" }, "requiredComponents", /expected array, received string/),
  bad("cja:Connection", "a string for datasets", { datasets: "ds_feedback" }, "datasets", /expected array, received string/),
  bad("aep:AudienceExportJob", "a string for audienceIds", { audienceIds: GOLD.id }, "audienceIds", /expected array, received string/),
  bad("aep:AudienceExportJob", "a string for fields", { fields: PERSON_ID_FIELD }, "fields", /expected array, received string/),
  bad("cja:Dimension", "a string for hidden", { hidden: "yes" }, "hidden", /expected boolean, received string/),
  bad("cja:DataView", "a number for description", { description: 5 }, "description", /expected string, received number/),
  bad("aep:AudienceExportJob", "an object in triggers", { triggers: [{ build: 1 }] }, "triggers", /^triggers\[0\]: must be a string, a number or a boolean$/),
  bad("aep:Dataset", "a boolean as datasetId", { datasetId: true }, "datasetId", /expected string, received boolean/),
];

/** Bad inputs only Adobe can tell: `check` reads, and writes nothing. */
const live: BadInput[] = [
  bad("cja:DataView", "a template that does not exist", { copyFrom: "dv_00000000000000000000dead" }, "copyFrom", /: no data view dv_00000000000000000000dead in IMS org .* that this credential can see/),
  bad("cja:DataView", "a component the template lacks", { copyFrom: DV, requiredComponents: ["metrics/nosuch"] }, "requiredComponents", /has no metrics\/nosuch\. In the Data View Manager, add them/),
  bad("cja:Dimension", "a data view that does not exist", { dataViewId: "dv_00000000000000000000dead" }, "dataViewId", /: no data view dv_00000000000000000000dead/),
  bad("cja:Dimension", "a component the data view lacks", { componentId: "variables/nosuch" }, "componentId", /: data view dv_\w+ has no dimension with component id variables\/nosuch/),
  bad("cja:Dimension", "a schema field the data view lacks", { componentId: undefined, schemaPath: "_acme.nosuch" }, "schemaPath", /has no dimension with schema field _acme\.nosuch/),
  bad("cja:Metric", "a metric the data view lacks", { componentId: "nosuch" }, "componentId", /has no metric with component id metrics\/nosuch/),
  bad("cja:CalculatedMetric", "a formula metric the data view lacks", { metrics: { Sends: "metrics/nosuch", "Bounces After Delivery": "metrics/bounces_after_delivery" } }, "metrics", /: data view dv_\w+ has no \[Sends\] → metrics\/nosuch/),
  bad("cja:CalculatedMetric", "a formula metric without metrics/ the data view lacks", { metrics: { Sends: "nosuch", "Bounces After Delivery": "bounces_after_delivery" } }, "metrics", /has no \[Sends\] → metrics\/nosuch;/),
  bad("cja:CalculatedMetric", "a data view that does not exist", { dataViewId: "dv_00000000000000000000dead" }, "dataViewId", /: no data view dv_00000000000000000000dead/),
  bad("cja:Filter", "a dimension the data view lacks", { definition: { context: "event", rules: [{ dimension: "variables/nosuch", exists: true }] } }, "definition", /: data view dv_\w+ has no variables\/nosuch; each dimension/),
  bad("cja:Filter", "a data view that does not exist", { dataViewId: "dv_00000000000000000000dead" }, "dataViewId", /: no data view dv_00000000000000000000dead/),
  bad("cja:DateRange", "a date range to adopt that does not exist", { adoptId: "00000000000000000000dead" }, "adoptId", /: date range 00000000000000000000dead does not exist/),
  bad("aep:AudienceExportJob", "an audience name that matches none", { audienceIds: undefined, audienceNames: ["No such audience"] }, "audienceNames", /: no audience is named "No such audience" in sandbox prod$/),
  bad("aep:AudienceExportJob", "an audience id that does not exist", { audienceIds: ["00000000-0000-4000-8000-00000000dead"] }, "audienceIds", /: no audience 00000000-0000-4000-8000-00000000dead in sandbox prod$/),
  bad("aep:AudienceExportJob", "a destination off the Profile union schema", { destinationDatasetId: PROFILE_DATASET }, "destinationDatasetId", /uses schema https:\/\/ns\.adobe\.com\/acme\/schemas\/audience-membership; an export job writes to a dataset on the Profile union schema/),
  bad("aep:AudienceExportJob", "a destination that does not exist", { destinationDatasetId: "0123456789abcdef01234567" }, "destinationDatasetId", /: no dataset 0123456789abcdef01234567 in sandbox prod$/),
];

/** Filters' definitions, date ranges' definitions, and the shares and tags of both. */
const components: BadInput[] = [
  bad("cja:Filter", "an empty name", { name: "" }, "name", EMPTY),
  bad("cja:Filter", "a data view's name as dataViewId", { dataViewId: "AJO reporting" }, "dataViewId", NOT_DATA_VIEW),
  bad("cja:Filter", "Adobe's context name", { definition: { context: "hits", rules: [{ dimension: "variables/a", exists: true }] } }, "definition", /^definition\.context: must be "event", "session" or "person"/),
  bad("cja:Filter", "a rule without an operator", { definition: { context: "event", rules: [{ dimension: "variables/a" }] } }, "definition", /^definition\.rules\[0\]: must have exactly one operator \(found none\)/),
  bad("cja:Filter", "a list for a text operator", { definition: { context: "event", rules: [{ dimension: "variables/a", equals: ["x"] }] } }, "definition", /^definition\.rules\[0\]\.equals: must be a string/),
  bad("cja:Filter", "a misspelt definition", { definitions: {} }, "definitions", NOT_INPUT("cja:Filter")),
  bad("cja:Filter", "a share of everyone with an id", { shares: [{ type: "all", id: "1" }] }, "shares", /^shares\[0\]\.id: a share with "all" names no id$/),
  bad("cja:DateRange", "a name with a line break", { name: "This\nmonth" }, "name", CONTROL),
  bad("cja:DateRange", "a definition without an end", { definition: "tm" }, "definition", /: must be <start>\/<end>/),
  bad("cja:DateRange", "an end before the start", { definition: "2024-03-01T00:00:00/2024-02-01T00:00:00" }, "definition", /: ends \(2024-02-01T00:00:00\) before it starts/),
  bad("cja:DateRange", "a tag twice", { tags: ["a", "a"] }, "tags", /^tags\[1\]: names the tag "a" twice$/),
];

const STATIC = [...names, ...timeZones, ...ids, ...formulas, ...enums, ...numbers, ...shapes, ...components];

interface BadSetting {
  key: string;
  value: string;
  reason: RegExp;
}

const WHOLE = (min: number, max: number) => new RegExp(`is not a whole number from ${min} to ${max}$`);
const RATE = /is not "<requests>\/<intervalMs>" \(e\.g\. "12\/6000", at most 10000\/3600000\) or "off"$/;
const URL = /is not an http\(s\) URL$/;
const settings: BadSetting[] = [
  { key: "adobe:maxRetries", value: "21", reason: WHOLE(0, 20) },
  { key: "adobe:maxRetries", value: "-1", reason: WHOLE(0, 20) },
  { key: "adobe:maxRetries", value: "2.5", reason: WHOLE(0, 20) },
  { key: "adobe:retryBaseDelayMs", value: "-5", reason: WHOLE(0, 600000) },
  { key: "adobe:retryBaseDelayMs", value: "600001", reason: WHOLE(0, 600000) },
  { key: "adobe:retryMaxDelayMs", value: "-1", reason: WHOLE(0, 600000) },
  { key: "adobe:retryMaxDelayMs", value: "1e3", reason: WHOLE(0, 600000) },
  { key: "adobe:retryBudgetMs", value: "21600001", reason: WHOLE(0, 21600000) },
  { key: "adobe:retryBudgetMs", value: "NaN", reason: WHOLE(0, 21600000) },
  { key: "adobe:requestTimeoutMs", value: "600001", reason: WHOLE(1, 600000) },
  { key: "adobe:requestTimeoutMs", value: "0", reason: WHOLE(1, 600000) },
  { key: "adobe:requestTimeoutMs", value: "Infinity", reason: WHOLE(1, 600000) },
  { key: "adobe:tokenRefreshMarginMs", value: "86400001", reason: WHOLE(0, 86400000) },
  { key: "adobe:tokenRefreshMarginMs", value: "-1", reason: WHOLE(0, 86400000) },
  { key: "adobe:cjaRateLimit", value: "0/100", reason: RATE },
  { key: "adobe:cjaRateLimit", value: "10001/1000", reason: RATE },
  { key: "adobe:cjaRateLimit", value: "abc", reason: RATE },
  { key: "adobe:cjaRateLimit", value: "12/0", reason: RATE },
  { key: "adobe:cjaRateLimit", value: "12/3600001", reason: RATE },
  { key: "adobe:platformRateLimit", value: "1.5/100", reason: RATE },
  { key: "adobe:platformRateLimit", value: "-1/100", reason: RATE },
  { key: "adobe:cjaEndpoint", value: "cja.adobe.io", reason: URL },
  { key: "adobe:platformEndpoint", value: "ftp://platform.adobe.io", reason: URL },
  { key: "adobe:imsEndpoint", value: "https:// ims-na1.adobelogin.com", reason: URL },
];

const ENGINES = new Map(Object.keys(GOOD).map((type) => [type, new Engine(type)]));
const inputsOf = (c: BadInput): Props => ({ ...GOOD[c.type], ...c.change });
/** Lookups are read, not checked, by the engine: their read throws what a check would report. */
const LOOKUPS = new Set(["cja:Connection", "cja:Dimension", "cja:Metric"]);

/** What the engine runs first for inputs of `type`: check, or a lookup's read; its failures. */
async function failuresOf(type: string, inputs: Props): Promise<{ failures: Failures; inputs: Props }> {
  const engine = ENGINES.get(type)!;
  if (!LOOKUPS.has(type)) {
    const result = await engine.check(inputs);
    return { failures: (result.failures ?? []) as Failures, inputs: result.inputs };
  }
  try {
    return { failures: [], inputs: (await engine.read(inputs)).outs };
  } catch (error) {
    if (error instanceof InputError) return { failures: error.failures, inputs };
    throw error;
  }
}
const checkOf = async (c: BadInput): Promise<Failures> => (await failuresOf(c.type, inputsOf(c))).failures;

/** Exactly `property` fails, with a reason that matches and never starts with the property again. */
function expectOnly(failures: Failures, property: string, reason: RegExp): void {
  expect(failures.length).toBeGreaterThan(0);
  expect(failures.map((f) => f.property)).toEqual(failures.map(() => property));
  expectFailure(failures, property, reason);
  for (const f of failures) expect(f.reason.startsWith(f.property)).toBe(false);
}

let emu: TestEmulator;

beforeAll(async () => {
  emu = await startTestEmulator();
  await seedAjo(emu);
  await seedAudiences(emu);
  const dataset = (id: string, name: string, schemaId: string) => ({ id, name, schemaRef: { id: schemaId, contentType: "application/vnd.adobe.xed+json;version=1" } });
  await emu.admin("POST", `${SANDBOX_ADMIN}/datasets`, {
    datasets: [dataset(EXPORT_TARGET, "Segment Export Job Dataset for CJA", PROFILE_UNION), dataset(PROFILE_DATASET, "Audience Membership Profile Dataset", MEMBERSHIP_SCHEMA)],
  });
  startProvider(emu);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await emu.clearRequests();
});

it(`has at least 110 bad inputs and settings (${STATIC.length} static, ${live.length} live, ${settings.length} settings)`, () => {
  expect(STATIC.length + live.length + settings.length).toBeGreaterThanOrEqual(110);
  expect(new Set([...STATIC, ...live].map((c) => c.type))).toEqual(new Set(Object.keys(GOOD)));
});

it.each(Object.keys(GOOD))("the good inputs of %s pass check and write nothing", async (type) => {
  expect((await failuresOf(type, GOOD[type])).failures).toEqual([]);
  expect(await writes(emu)).toEqual([]);
});

describe("inputs wrong by themselves: check (a lookup's read) names the input and sends no request", () => {
  it.each(STATIC)("$type: $what", async (c) => {
    expectOnly(await checkOf(c), c.property, c.reason);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("inputs only Adobe can tell are wrong: check (a lookup's read) reads, names the input, and writes nothing", () => {
  it.each(live)("$type: $what", async (c) => {
    expectOnly(await checkOf(c), c.property, c.reason);
    expect(await writes(emu)).toEqual([]);
  });
});

describe("unknown values of a preview pass every id format", () => {
  it.each<[string, Props]>([
    ["cja:DataView", { connectionId: UNKNOWN, copyFrom: UNKNOWN, timezone: UNKNOWN }],
    ["cja:Dimension", { dataViewId: UNKNOWN, componentId: UNKNOWN }],
    ["cja:Dimension", { componentId: UNKNOWN }],
    ["cja:Metric", { dataViewId: UNKNOWN, componentId: UNKNOWN }],
    ["cja:Metric", { componentId: UNKNOWN }],
    ["cja:CalculatedMetric", { dataViewId: UNKNOWN, metrics: { Sends: UNKNOWN, "Bounces After Delivery": "metrics/bounces_after_delivery" } }],
    ["cja:Connection", { connectionId: UNKNOWN, datasets: [{ datasetId: UNKNOWN, type: "event" }] }],
    ["aep:Dataset", { datasetId: UNKNOWN }],
    ["aep:AudienceExportJob", { audienceIds: [UNKNOWN], mergePolicyId: UNKNOWN, destinationDatasetId: UNKNOWN }],
    ["aep:AudienceMembershipTransform", { sourceDatasetId: UNKNOWN, sourceBatchId: UNKNOWN, targetDatasetId: UNKNOWN, tenantNamespace: UNKNOWN, audienceIds: [UNKNOWN] }],
    ["aep:Schema", { fieldGroupIds: [UNKNOWN] }],
  ])("%s", async (type, change) => {
    const result = await failuresOf(type, { ...GOOD[type], ...change });

    expect(result.failures).toEqual([]);
    // An unknown value stays the sentinel (a component id is not prefixed into a known one).
    for (const [key, value] of Object.entries(change)) expect(result.inputs[key]).toEqual(value);
    expect(await writes(emu)).toEqual([]);
  });
});

describe("bad settings: the first check that needs Adobe names the one setting, before any request", () => {
  afterEach(() => startProvider(emu));

  const templateCheck = () => ENGINES.get("cja:DataView")!.check({ ...GOOD["cja:DataView"], copyFrom: DV });

  it.each(settings)("$key = $value", async ({ key, value, reason }) => {
    startProvider(emu, { [key]: value });
    const error = await rejectionOf(templateCheck);

    expect(error).toBeInstanceOf(InvalidSettingError);
    expect((error as InvalidSettingError).key).toBe(key);
    expect(error.message).toMatch(new RegExp(`^Invalid Adobe setting ${key}: ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} ${reason.source.replace(/^\^/, "")}`));
    expect(error.message.match(/adobe:\w+/g)).toEqual([key]);
    expect(await requestLines(emu)).toEqual([]);
  });

  it("a missing client secret is named with the command that sets it", async () => {
    startProvider(emu, { "adobe:clientSecret": "" });
    const error = await rejectionOf(templateCheck);

    expect(error).toBeInstanceOf(MissingSettingsError);
    expect((error as MissingSettingsError).missingKeys).toEqual(["adobe:clientSecret"]);
    expect(error.message).toContain("pulumi config set --secret adobe:clientSecret <value>");
    expect(await requestLines(emu)).toEqual([]);
  });
});
