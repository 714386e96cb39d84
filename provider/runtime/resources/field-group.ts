import { z } from "zod";
import * as registry from "../../adobe/aep/schema-registry";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { ownershipMarkOf, stripOwnershipMark, withOwnershipMark } from "../ownership";
import { defineResource } from "../resource-handler";
import { nonEmpty, objectName } from "../schemas";
import { locateByTitle } from "./xdm-resource";

/** The XDM Individual Profile class. */
export const PROFILE_CLASS = "https://ns.adobe.com/xdm/context/profile";

/** A field of a field group, under the tenant namespace. */
export interface FieldSpec {
  type: "string" | "integer" | "number" | "boolean" | "object" | "array";
  title?: string;
  description?: string;
  /** The fields of an `object`. */
  properties?: Record<string, FieldSpec>;
  /** The element of an `array`. */
  items?: FieldSpec;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Fields by name; a name must start with a letter (XDM: field names may not start with an underscore). */
const fieldsByName = (spec: () => z.ZodType<FieldSpec>) =>
  z.record(z.string(), z.lazy(spec)).superRefine((fields, ctx) => {
    for (const name of Object.keys(fields)) {
      if (!FIELD_NAME.test(name)) ctx.addIssue({ code: "custom", path: [name], message: "a field name must start with a letter and hold only letters, digits and _ (XDM field names may not start with an underscore)" });
    }
  });

export const fieldSpec: z.ZodType<FieldSpec> = z.lazy(() =>
  z
    .strictObject({
      type: z.enum(["string", "integer", "number", "boolean", "object", "array"]),
      title: z.string().optional(),
      description: z.string().optional(),
      properties: fieldsByName(() => fieldSpec).optional(),
      items: fieldSpec.optional(),
    })
    .superRefine((f, ctx) => {
      if (f.type === "object" && (!f.properties || Object.keys(f.properties).length === 0)) ctx.addIssue({ code: "custom", path: ["properties"], message: "an object field needs at least one property" });
      if (f.type !== "object" && f.properties) ctx.addIssue({ code: "custom", path: ["properties"], message: `only an object field has properties (this one is ${f.type})` });
      if (f.type === "array" && !f.items) ctx.addIssue({ code: "custom", path: ["items"], message: "an array field needs items" });
      if (f.type !== "array" && f.items) ctx.addIssue({ code: "custom", path: ["items"], message: `only an array field has items (this one is ${f.type})` });
    }),
);

export const fieldGroupInputs = z.strictObject({
  title: objectName,
  description: z.string().optional(),
  /** Classes the field group extends; default the XDM Individual Profile class. */
  intendedToExtend: z.array(nonEmpty).min(1).default([PROFILE_CLASS]),
  fields: fieldsByName(() => fieldSpec).refine((f) => Object.keys(f).length > 0, "give at least one field"),
  adoptExisting: z.boolean().optional(),
});

type Inputs = z.infer<typeof fieldGroupInputs>;
interface Outputs extends Inputs {
  fieldGroupId: string;
  altId: string;
  tenantId: string;
  /** `_<tenantId>`: the object the fields live under in every record. */
  tenantNamespace: string;
  adopted: boolean;
  [key: string]: unknown;
}

const DEFINITION = "customFields";

function toXdm(fields: Record<string, FieldSpec>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, f]) => [
      name,
      {
        type: f.type,
        ...(f.title !== undefined ? { title: f.title } : { title: name }),
        ...(f.description !== undefined ? { description: f.description } : {}),
        ...(f.properties ? { properties: toXdm(f.properties) } : {}),
        ...(f.items ? { items: (toXdm({ item: f.items }) as { item: unknown }).item } : {}),
      },
    ]),
  );
}

/** The fields under `_<tenant>` in a field group as the registry holds it. */
function tenantFields(resource: registry.XdmResource, namespace: string): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const definition of Object.values(resource.definitions ?? {})) {
    const props = (definition as { properties?: Record<string, { properties?: Record<string, unknown> }> }).properties;
    Object.assign(merged, props?.[namespace]?.properties ?? {});
  }
  return merged;
}

/** Declared fields the live field group lacks or types differently, as paths (`audienceMemberships[].id`). */
export function missingFields(declared: Record<string, FieldSpec>, live: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(declared).flatMap(([name, spec]) => {
    const path = `${prefix}${name}`;
    const field = live[name] as { type?: string; properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } } | undefined;
    if (!field || field.type !== spec.type) return [`${path} (${spec.type})`];
    if (spec.properties) return missingFields(spec.properties, field.properties ?? {}, `${path}.`);
    if (spec.items?.properties) return missingFields(spec.items.properties, field.items?.properties ?? {}, `${path}[].`);
    return [];
  });
}

function body(inputs: Inputs, namespace: string, description: string): Record<string, unknown> {
  return {
    title: inputs.title,
    description,
    type: "object",
    "meta:intendedToExtend": inputs.intendedToExtend,
    definitions: { [DEFINITION]: { properties: { [namespace]: { type: "object", properties: toXdm(inputs.fields) } } } },
    allOf: [{ $ref: `#/definitions/${DEFINITION}` }],
  };
}

function outputs(inputs: Inputs, live: registry.XdmResource, tenantId: string, adopted: boolean): Outputs {
  return { ...inputs, fieldGroupId: live.$id, altId: live["meta:altId"] ?? "", tenantId, tenantNamespace: `_${tenantId}`, adopted, description: adopted ? inputs.description : stripOwnershipMark(live.description) };
}

export const fieldGroupHandler = defineResource<Inputs, Outputs>({
  type: "aep:FieldGroup",
  inputs: fieldGroupInputs,
  replaceOnChanges: ["intendedToExtend", "adoptExisting"],
  keyed: true,

  async create(inputs, { owner }) {
    const client = adobeClient();
    const tenantId = await registry.getTenantId(client);
    const namespace = `_${tenantId}`;
    const found = await locateByTitle("fieldgroups", `FieldGroup "${inputs.title}"`, inputs.title, { owner, adoptExisting: inputs.adoptExisting });
    if ("create" in found) {
      const created = await found.create(body(inputs, namespace, withOwnershipMark(inputs.description, found.key)));
      return { id: created.$id, outs: outputs(inputs, created, tenantId, false) };
    }
    const missing = missingFields(inputs.fields, tenantFields(found.resource, namespace));
    if (missing.length > 0) {
      throw new Error(`FieldGroup "${inputs.title}" (${found.resource.$id}) lacks ${missing.join(", ")} under ${namespace}; add ${missing.length === 1 ? "it" : "them"} in the AEP UI (Schemas > Field groups)${found.adopted ? "" : " or run pulumi up to update it"}.`);
    }
    return { id: found.resource.$id, outs: outputs(inputs, found.resource, tenantId, found.adopted) };
  },

  async read(id, outs) {
    try {
      const live = await registry.getResource(adobeClient(), "fieldgroups", id);
      const namespace = outs.tenantNamespace;
      // A field removed or retyped in the UI shows as a change of `fields`.
      const fields = missingFields(outs.fields, tenantFields(live, namespace)).length === 0 ? outs.fields : {};
      return { ...outputs({ ...outs, fields }, live, outs.tenantId, outs.adopted), title: live.title ?? outs.title };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async update(id, olds, news) {
    const client = adobeClient();
    if (olds.adopted) {
      const live = await registry.getResource(client, "fieldgroups", id);
      const missing = missingFields(news.fields, tenantFields(live, olds.tenantNamespace));
      if (missing.length > 0) throw new Error(`FieldGroup "${news.title}" (${id}) was made in the AEP UI and lacks ${missing.join(", ")}; add them there (the stack only reads an adopted field group).`);
      return outputs(news, live, olds.tenantId, true);
    }
    const current = await registry.getResource(client, "fieldgroups", id);
    const key = ownershipMarkOf(current.description);
    const updated = await registry.replaceResource(client, "fieldgroups", id, body(news, olds.tenantNamespace, key ? withOwnershipMark(news.description, key) : news.description ?? ""));
    return outputs(news, updated, olds.tenantId, false);
  },

  async delete(id, outs) {
    if (outs.adopted !== false) return;
    await registry.deleteResource(adobeClient(), "fieldgroups", id);
  },
});
