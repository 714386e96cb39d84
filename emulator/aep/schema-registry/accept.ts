/**
 * The registry's `Accept` rules and the lookup forms they select. GETs need an `Accept` header;
 * lists take `xed-id` or `xed` without a version (XDM-1006-400), lookups a form with `version=1`
 * (XDM-1007-400), descriptor lists the `xdm` forms (XDM-1008-400), descriptor lookups no versioned
 * `xed` form (XDM-1009-400): AdobeDocs/experience-platform.en `help/xdm/api/getting-started.md`,
 * `help/xdm/faq.md`; schema-registry.yaml parameters `accept`, `acceptListing`, `acceptDescriptors`.
 */
import type { EmuRequest, EmuResponse, EmulatorContext } from "../../types";
import { fieldsToJsonSchema, type XdmField } from "../xdm";
import { schemaRegistryError } from "./common";

const LIST_ACCEPT = /^application\/vnd\.adobe\.xed(-id)?\+json$/;
const LOOKUP_ACCEPT = /^application\/vnd\.adobe\.xed(-full|-notext|-full-notext|-full-desc|-deprecatefield)?\+json$/;
const DESCRIPTOR_ACCEPT = /^application\/vnd\.adobe\.xdm(-v2)?(-id|-link)?\+json$/;

interface ParsedAccept {
  raw: string;
  media: string;
  version?: string;
}

function parseAccept(req: EmuRequest): ParsedAccept {
  const raw = (req.headers.accept ?? "").trim();
  const [media, ...params] = raw.split(";").map((s) => s.trim());
  const version = params.map((p) => /^version\s*=\s*(.+)$/i.exec(p)?.[1]).find((v) => v !== undefined);
  return { raw, media: media.toLowerCase(), version };
}

function acceptError(ctx: EmulatorContext, code: string, raw: string, expected: string): EmuResponse {
  return schemaRegistryError(ctx, 400, code, "Accept header invalid", `The supplied Accept header is not valid: ${raw} - A valid Accept value should look like ${expected}`);
}

/** `xed-id` (summaries) or `xed` (full resources), without a version. */
export function listAccept(req: EmuRequest, ctx: EmulatorContext): { ids: boolean } | EmuResponse {
  const accept = parseAccept(req);
  if (!LIST_ACCEPT.test(accept.media) || accept.version !== undefined) {
    return acceptError(ctx, "XDM-1006-400", accept.raw, "application/vnd.adobe.{xed|xdm}+json");
  }
  return { ids: accept.media.includes("xed-id") };
}

export interface LookupForm {
  full: boolean;
  notext: boolean;
}

/** A lookup form with `version=1` (the only major version: getting-started.md). */
export function lookupAccept(req: EmuRequest, ctx: EmulatorContext): LookupForm | EmuResponse {
  const accept = parseAccept(req);
  if (!LOOKUP_ACCEPT.test(accept.media) || accept.version === undefined) {
    return acceptError(ctx, "XDM-1007-400", accept.raw, "application/vnd.adobe.{xed|xdm}+json; version=1 (Version should be specified)");
  }
  if (accept.version.split(".")[0] !== "1") {
    // schema-registry.yaml: 406 "The specified Accept format/version is not available for this resource."
    return schemaRegistryError(ctx, 406, "XDM-1000-406", "Invalid Accept format", `The specified Accept version ${accept.version} is not available for this resource; the only major version is 1.`);
  }
  return { full: accept.media.includes("-full"), notext: accept.media.includes("notext") };
}

/** A descriptor list form: `xdm`, `xdm-id` or `xdm-link`, `-v2` for a `results` page, without a version. */
export function descriptorListAccept(req: EmuRequest, ctx: EmulatorContext): { v2: boolean; form: "-id" | "-link" | undefined } | EmuResponse {
  const accept = parseAccept(req);
  const m = DESCRIPTOR_ACCEPT.exec(accept.media);
  if (!m || accept.version !== undefined) return acceptError(ctx, "XDM-1008-400", accept.raw, "application/vnd.adobe.xdm-id+json");
  return { v2: m[1] !== undefined, form: m[2] as "-id" | "-link" | undefined };
}

/** Descriptors are not versioned, so a lookup needs no Accept; an `xed` form is refused (XDM-1009-400). */
export function descriptorLookupAccept(req: EmuRequest, ctx: EmulatorContext): true | EmuResponse {
  const accept = parseAccept(req);
  if (accept.media.startsWith("application/vnd.adobe.") && !DESCRIPTOR_ACCEPT.test(accept.media)) {
    return acceptError(ctx, "XDM-1009-400", accept.raw, "application/vnd.adobe.xdm+json");
  }
  return true;
}

/** Drops `title` and `description` everywhere (the `notext` Accept forms). */
function withoutText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutText);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "title" && k !== "description").map(([k, v]) => [k, withoutText(v)]));
  }
  return value;
}

/** A resource in the lookup form asked for: `-full` resolves its fields into `properties`, `notext` drops the texts. */
export function lookupView(resource: Record<string, unknown>, fields: Record<string, XdmField> | undefined, form: LookupForm): Record<string, unknown> {
  let view: Record<string, unknown> = structuredClone(resource);
  if (form.full && fields) view = { ...view, properties: fieldsToJsonSchema(fields) };
  return form.notext ? (withoutText(view) as Record<string, unknown>) : view;
}
