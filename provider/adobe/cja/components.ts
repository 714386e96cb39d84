/**
 * What dimensions and metrics of a data view have in common (Adobe's API only reads them).
 */
import { z } from "zod";
import { enumValue, opt } from "../schema";

export const includeExcludeSchema = z.looseObject({
  enabled: opt(z.boolean()),
  caseSensitive: opt(z.boolean()),
  match: opt(z.string()),
  type: opt(z.string()),
  rules: opt(z.array(z.looseObject({ clause: opt(z.string()), value: opt(z.union([z.string(), z.number()])) }))),
});

/** Fields shared by dimensions and metrics; `dataSetType` and `type` normalised to upper case. */
export const componentFields = {
  id: z.string(),
  name: opt(z.string()),
  description: opt(z.string()),
  sourceFieldId: opt(z.string()),
  sourceFieldName: opt(z.string()),
  schemaPath: opt(z.string()),
  schemaType: opt(z.string()),
  sourceFieldType: opt(z.string()),
  dataSetIds: opt(z.array(z.string())),
  dataSetType: opt(enumValue),
  type: opt(enumValue),
  hideFromReporting: opt(z.boolean()),
  hidden: opt(z.boolean()),
  hasData: opt(z.boolean()),
  isDeleted: opt(z.boolean()),
  includeExcludeSetting: opt(includeExcludeSchema),
  fieldDefinition: opt(z.array(z.looseObject({}))),
};

/** Component expansions that both endpoints accept and that describe configuration. */
export const COMMON_COMPONENT_EXPANSION = [
  "description",
  "sourceFieldId",
  "sourceFieldName",
  "schemaPath",
  "schemaType",
  "sourceFieldType",
  "dataSetIds",
  "dataSetType",
  "type",
  "hideFromReporting",
  "hidden",
  "hasData",
  "includeExcludeSetting",
  "fieldDefinition",
];

/** `variables/daterangeday` → `daterangeday`: the form the single-component paths take. */
export function stripComponentPrefix(id: string, prefix: "variables/" | "metrics/"): string {
  return id.startsWith(prefix) ? id.slice(prefix.length) : id;
}
