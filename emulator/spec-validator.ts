/**
 * Adobe's OpenAPI specs as the emulator's contract: finds the spec operation of a route and
 * validates requests and responses against it.
 *
 * The specs are loaded leniently, because Adobe's files are not strictly valid OpenAPI
 * (documented in the project's docs):
 * - no whole-spec validation (openapi-backend `quick` mode, not `strict`), and ajv without
 *   schema meta-validation (`validateSchema: false`): some schemas in aep-catalog.yaml have a
 *   non-string `description`;
 * - aep-segmentation.yaml's `$ref: https://ns.adobe.com/xdm/context/profile__union` (an external
 *   XDM document that cannot be fetched here) is replaced in memory by `{type: object}`;
 * - unknown formats (`pql`, `parquet`, `string`) are ignored;
 * - aep-segmentation.yaml's `AudiencesList.children.items` is `oneOf` two audience schemas that
 *   require nothing and allow any other property, so every audience matches both and `oneOf`
 *   can never pass: it is validated as `anyOf`. Its `_page.next` may be a string: the file says
 *   integer, the list example of Adobe's audiences guide (`help/segmentation/api/audiences.md`)
 *   answers `"next": "1"`, and the emulator answers as the guide does.
 * - aep-schema-registry.yaml is Swagger 2.0, which openapi-backend cannot read: it is converted to
 *   OpenAPI 3 in memory with swagger2openapi (its `basePath` becomes `servers[0].url`). In the
 *   converted copy, where the file contradicts Adobe's own guides (AdobeDocs/experience-platform.en):
 *   - the `Accept` header parameters are optional, so the handler answers a missing or wrong
 *     `Accept` with the Schema Registry's documented XDM-1006/1007/1008/1009-400 body
 *     (`help/xdm/faq.md`) rather than a generic validation 400;
 *   - `patchSchema` items' `value` takes any JSON (the file says string; `help/xdm/api/schemas.md`
 *     sends `["union"]` and `{"$ref": ...}`);
 *   - `createDescriptor`'s `xdm:sourceVersion` takes an integer too (the file says string; the
 *     guides send and answer `1`, and the file's own `lookupDescriptorResponse` says integer);
 *   - `statsResponse.classUsage` may be an object keyed by class `$id` (the file says array;
 *     `help/xdm/api/getting-started.md` shows the object);
 *   - `_page.next` and `_links.next` may be null (the file says string; its own examples and every
 *     list in the guides answer `null` on the last page);
 *   - the `listDescriptorsResponse` arrays may hold strings (the file says descriptor objects;
 *     `help/xdm/api/descriptors.md` answers ids or paths for the `xdm-id`/`xdm-link` `Accept`).
 *   Operations the emulator does not serve (classes, union lookup) keep schemas that cannot be
 *   compiled ("resolves to more than one schema"); binding a route to them would fail loudly.
 * The files themselves are never modified.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import addFormats from "ajv-formats";
import { OpenAPIBackend, type Document, type ValidationResult } from "openapi-backend";
import { parse as parseYaml } from "yaml";
import { withObservedCjaValues } from "./cja/spec-deviations";
import type { HttpMethod, SpecName } from "./types";

/** File name of each spec in the spec folder. */
export const SPEC_FILES: Record<SpecName, string> = {
  cja: "cja.json",
  "aep-segmentation": "aep-segmentation.yaml",
  "aep-catalog": "aep-catalog.yaml",
  "aep-query-service": "aep-query-service.yaml",
  "aep-schema-registry": "aep-schema-registry.yaml",
};

const EXTERNAL_XDM_REF = "https://ns.adobe.com/xdm/context/profile__union";
const MAX_MESSAGES = 8;

type AjvError = NonNullable<ValidationResult["errors"]>[number];

/** The repository root: the nearest folder above this file with a package.json. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, "..");
    dir = parent;
  }
  return dir;
}

/** `ADOBE_OPENAPI_DIR`, else `<repo root>/../shared/adobe-openapi`. */
export function defaultSpecDir(): string {
  return process.env.ADOBE_OPENAPI_DIR || path.resolve(repoRoot(), "..", "shared", "adobe-openapi");
}

/** The spec files missing from `dir` (all of them when the folder does not exist). */
export function missingSpecFiles(dir: string): string[] {
  return Object.values(SPEC_FILES).filter((file) => !existsSync(path.join(dir, file)));
}

/** A spec operation a route is bound to. */
export interface SpecOperation {
  spec: SpecName;
  operationId: string;
  method: HttpMethod;
  /** The path as the spec writes it, relative to the spec's server base path. */
  specPath: string;
  /** The spec server's base path, e.g. `/data/core/ups` ("" for CJA). */
  basePath: string;
}

/** What a request looks like to the validator. */
export interface RequestToValidate {
  method: HttpMethod;
  /** Full request path (with the base path), as received. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

/** Replaces every `{$ref: <external XDM union>}` by a local stub schema, in a copy. */
function withExternalRefsStubbed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExternalRefsStubbed);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.$ref === EXTERNAL_XDM_REF) return { type: "object" };
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, withExternalRefsStubbed(v)]));
  }
  return value;
}

/**
 * Validates the audience list items as `anyOf`, and accepts `_page.next` as a string (see the file
 * comment), in the stubbed copy.
 */
function withAudienceListOneOfRelaxed(doc: Document): Document {
  const schemas = (doc as { components?: { schemas?: Record<string, { properties?: Record<string, { items?: Record<string, unknown>; properties?: Record<string, Schema> }> }> } }).components?.schemas;
  const items = schemas?.AudiencesList?.properties?.children?.items;
  if (items?.oneOf) {
    items.anyOf = items.oneOf;
    delete items.oneOf;
  }
  alsoAccept(schemas?.AudiencesList?.properties?._page?.properties?.next, { type: "string" });
  return doc;
}

type Schema = Record<string, unknown>;

/** Makes `schema` accept `extra` as well as what it accepted, in place. */
function alsoAccept(schema: Schema | undefined, extra: Schema): void {
  if (!schema) return;
  const original = { ...schema };
  for (const key of Object.keys(schema)) if (key !== "description") delete schema[key];
  schema.anyOf = [original, extra];
}

/** The Schema Registry relaxations listed in the file comment, in the converted copy. */
function withSchemaRegistryDefectsRelaxed(doc: Document): Document {
  const components = (doc as { components?: { schemas?: Record<string, Schema>; parameters?: Record<string, Schema> } }).components ?? {};
  const schemas = components.schemas ?? {};
  const props = (name: string): Record<string, Schema> | undefined => schemas[name]?.properties as Record<string, Schema> | undefined;
  for (const name of ["accept", "acceptListing", "acceptDescriptors"]) {
    if (components.parameters?.[name]) components.parameters[name].required = false;
  }
  const patchItems = (schemas.patchSchema?.items as Schema | undefined)?.properties as Record<string, Schema> | undefined;
  if (patchItems?.value) delete patchItems.value.type;
  alsoAccept(props("createDescriptor")?.["xdm:sourceVersion"], { type: "integer" });
  alsoAccept(props("statsResponse")?.classUsage, { type: "object" });
  const page = props("listResponseBasic")?._page?.properties as Record<string, Schema> | undefined;
  alsoAccept(page?.next, { type: "null" } as Schema);
  alsoAccept(props("linksBasic")?.next, { type: "null" } as Schema);
  for (const list of Object.values(props("listDescriptorsResponse") ?? {})) alsoAccept(list.items as Schema | undefined, { type: "string" });
  return doc;
}

/** swagger2openapi has no type declarations; this is the one call used. */
const swagger2openapi = require("swagger2openapi") as {
  convertObj(swagger: unknown, options: { patch?: boolean; warnOnly?: boolean }): Promise<{ openapi: Document }>;
};

async function readSpecDocument(file: string, name: SpecName): Promise<Document> {
  const text = readFileSync(file, "utf8");
  const parsed = withExternalRefsStubbed(file.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
  if (parsed.swagger === "2.0") {
    const { openapi } = await swagger2openapi.convertObj(parsed, { patch: true, warnOnly: true });
    return name === "aep-schema-registry" ? withSchemaRegistryDefectsRelaxed(openapi) : openapi;
  }
  return withAudienceListOneOfRelaxed(parsed as Document);
}

/** `https://platform.adobe.io/data/core/ups` or `//{environment}.adobe.io/data/core/ups` → `/data/core/ups`. */
function serverBasePath(doc: Document): string {
  const servers = (doc as { servers?: { url?: string }[] }).servers;
  const url = servers?.[0]?.url ?? "";
  return url.replace(/^([a-z][a-z0-9+.-]*:)?\/\/[^/]*/i, "").replace(/\/+$/, "");
}

/** Path segments with every parameter (`{x}` or `:x`) replaced by one placeholder. */
function pathShape(p: string): string {
  return p
    .split("/")
    .map((segment) => (/^\{[^}]+\}$/.test(segment) || segment.startsWith(":") ? "{}" : segment))
    .join("/");
}

function fieldPath(instancePath: string, extra?: string): string[] {
  const segments = instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  return extra === undefined ? segments : [...segments, extra];
}

function renderField(segments: string[], root: string): string {
  return segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : `${acc}.${s}`), root);
}

const REQUEST_ROOTS: Record<string, string> = { requestBody: "body", query: "query", header: "header", path: "path", cookie: "cookie" };

/** One readable line per ajv error, naming the field: `body.name must be string`. */
function describeError(error: AjvError, kind: "request" | "response"): string {
  const params = error.params as Record<string, unknown>;
  let extra: string | undefined;
  let message = error.message ?? error.keyword;
  if (error.keyword === "required") {
    extra = String(params.missingProperty);
    message = "is required";
  } else if (error.keyword === "additionalProperties") {
    extra = String(params.additionalProperty);
    message = "is not allowed";
  } else if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  const segments = fieldPath(error.instancePath, extra);
  if (kind === "response") return `${renderField(segments, "body")} ${message}`;
  const [root, ...rest] = segments;
  if (root === undefined) return `request ${message}`;
  return `${renderField(rest, REQUEST_ROOTS[root] ?? root)} ${message}`;
}

function describeErrors(errors: ValidationResult["errors"], kind: "request" | "response"): string[] {
  const lines = [...new Set((errors ?? []).map((e) => describeError(e, kind)))];
  return lines.length > MAX_MESSAGES ? [...lines.slice(0, MAX_MESSAGES), `... and ${lines.length - MAX_MESSAGES} more`] : lines;
}

interface LoadedSpec {
  api: OpenAPIBackend;
  basePath: string;
  file: string;
}

async function loadSpec(dir: string, name: SpecName): Promise<LoadedSpec> {
  const file = path.join(dir, SPEC_FILES[name]);
  const document = await readSpecDocument(file, name);
  // CJA answers values its spec does not list (lower-case enums, observed component settings).
  const definition = name === "cja" ? withObservedCjaValues(document) : document;
  const api = new OpenAPIBackend({
    definition,
    quick: true,
    strict: false,
    validate: true,
    ajvOpts: { strict: false, logger: false, validateSchema: false, allErrors: true },
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  return { api, basePath: serverBasePath(definition), file };
}

/** Adobe's specs, loaded and ready to validate against. */
export class SpecCatalog {
  private constructor(
    readonly dir: string,
    private readonly specs: Record<SpecName, LoadedSpec>,
  ) {}

  /** Loads every spec of SPEC_FILES from `dir` (cached per folder: the files are read-only). */
  static load(dir: string): Promise<SpecCatalog> {
    const key = path.resolve(dir);
    let loading = catalogs.get(key);
    if (!loading) {
      loading = SpecCatalog.loadUncached(key);
      catalogs.set(key, loading);
      loading.catch(() => catalogs.delete(key));
    }
    return loading;
  }

  private static async loadUncached(dir: string): Promise<SpecCatalog> {
    const missing = missingSpecFiles(dir);
    if (missing.length > 0) throw new Error(`Adobe's OpenAPI folder ${dir} lacks ${missing.join(", ")}. Run \`npm run specs\` to download them.`);
    const names = Object.keys(SPEC_FILES) as SpecName[];
    const loaded = await Promise.all(names.map((name) => loadSpec(dir, name)));
    return new SpecCatalog(dir, Object.fromEntries(names.map((name, i) => [name, loaded[i]])) as Record<SpecName, LoadedSpec>);
  }

  /**
   * The operation of `spec` with this method and path (a route template with the spec's base
   * path; parameter names may differ, positions must not). Throws when the spec has none, or when
   * its validators cannot be built: a route must never serve an operation outside the contract.
   */
  operationFor(spec: SpecName, method: HttpMethod, routePath: string): SpecOperation {
    const loaded = this.specs[spec];
    const where = `${method} ${routePath}`;
    if (!routePath.startsWith(loaded.basePath)) {
      throw new Error(`Route ${where} is bound to spec "${spec}" but does not start with its base path ${loaded.basePath} (${loaded.file}).`);
    }
    const relative = routePath.slice(loaded.basePath.length) || "/";
    const shape = pathShape(relative);
    const operation = loaded.api.router
      .getOperations()
      .find((op) => op.method.toUpperCase() === method && pathShape(op.path) === shape);
    if (!operation?.operationId) {
      throw new Error(`Route ${where} is bound to spec "${spec}" but ${loaded.file} has no operation ${method} ${relative}. The emulator serves only endpoints in Adobe's specs.`);
    }
    this.compileValidators(loaded, operation.operationId, where);
    return { spec, operationId: operation.operationId, method, specPath: operation.path, basePath: loaded.basePath };
  }

  /** Problems of a request against its operation, one line per field; [] when it is valid. */
  validateRequest(op: SpecOperation, req: RequestToValidate): string[] {
    const { api } = this.specs[op.spec];
    const result = api.validator.validateRequest(
      { method: req.method, path: req.path.slice(op.basePath.length) || "/", query: { ...req.query }, headers: { ...req.headers }, body: req.body as object },
      op.operationId,
    );
    return result.valid ? [] : describeErrors(result.errors, "request");
  }

  /** Problems of a response body against the operation's schema for `status`; [] when valid or undeclared. */
  validateResponse(op: SpecOperation, status: number, body: unknown): string[] {
    const { api } = this.specs[op.spec];
    const result = api.validator.validateResponse(body === undefined ? null : body, op.operationId, status);
    return result.valid ? [] : describeErrors(result.errors, "response");
  }

  private compileValidators(loaded: LoadedSpec, operationId: string, where: string): void {
    try {
      loaded.api.validator.getRequestValidatorsForOperation(operationId);
      loaded.api.validator.getStatusBasedResponseValidatorForOperation(operationId);
    } catch (err) {
      throw new Error(`Route ${where}: the schemas of operation ${operationId} in ${loaded.file} cannot be compiled: ${(err as Error).message}`);
    }
  }
}

const catalogs = new Map<string, Promise<SpecCatalog>>();
