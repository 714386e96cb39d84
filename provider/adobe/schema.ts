/**
 * Building blocks for response schemas: every object is loose (unknown fields kept), every
 * optional field accepts null (Adobe sends `null` for unset values) and yields undefined, and
 * enums whose casing differs between request and response are normalised.
 */
import { z } from "zod";

/** An optional field that may also be `null` on the wire; null becomes undefined. */
export function opt<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

/**
 * Canonical form of Adobe's case-varying enums (`INACTIVITY` in requests, `inactivity` in
 * responses; `decimal` in docs, `DECIMAL` in the spec): upper case, as the spec's enums are written.
 */
export function canonicalEnum(value: string): string {
  return value.toUpperCase();
}

/** A string enum value normalised with `canonicalEnum`. */
export const enumValue = z.string().transform(canonicalEnum);

/** `{imsUserId, ownerId, name, type}` as CJA returns it. */
export const ownerSchema = z.looseObject({
  id: opt(z.union([z.string(), z.number()])),
  imsUserId: opt(z.string()),
  ownerId: opt(z.string()),
  name: opt(z.string()),
  type: opt(z.string()),
});
