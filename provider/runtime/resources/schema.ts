import { z } from "zod";
import * as registry from "../../adobe/aep/schema-registry";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { ownershipMarkOf, stripOwnershipMark, withOwnershipMark } from "../ownership";
import { defineResource } from "../resource-handler";
import { nonEmpty, objectName } from "../schemas";
import { PROFILE_CLASS } from "./field-group";
import { locateByTitle } from "./xdm-resource";

const UNION_TAG = "union";

export const schemaInputs = z
  .strictObject({
    title: objectName,
    description: z.string().optional(),
    /** The XDM class; default XDM Individual Profile. */
    classId: nonEmpty.default(PROFILE_CLASS),
    fieldGroupIds: z.array(nonEmpty).default([]).refine((ids) => new Set(ids).size === ids.length, "lists a field group twice"),
    primaryIdentity: z
      .strictObject({
        path: nonEmpty.regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, "must be a field path in dot notation, e.g. personID or _tenant.loyalty.id"),
        namespace: nonEmpty,
      })
      .optional(),
    enableProfile: z.boolean().default(false),
    adoptExisting: z.boolean().optional(),
  })
  .superRefine((inputs, ctx) => {
    if (inputs.enableProfile && !inputs.primaryIdentity) {
      ctx.addIssue({ code: "custom", path: ["primaryIdentity"], message: "a schema enabled for Profile needs a primary identity (Schema Registry refuses it otherwise: XDM-1528-400)" });
    }
  });

type Inputs = z.infer<typeof schemaInputs>;
interface Outputs extends Inputs {
  schemaId: string;
  altId: string;
  identityDescriptorId: string;
  profileEnabled: boolean;
  adopted: boolean;
  [key: string]: unknown;
}

const pointer = (path: string) => `/${path.split(".").join("/")}`;

function outputs(inputs: Inputs, live: registry.XdmResource, descriptorId: string, adopted: boolean): Outputs {
  return {
    ...inputs,
    schemaId: live.$id,
    altId: live["meta:altId"] ?? "",
    identityDescriptorId: descriptorId,
    profileEnabled: (live["meta:immutableTags"] ?? []).includes(UNION_TAG),
    adopted,
    description: adopted ? inputs.description : stripOwnershipMark(live.description),
  };
}

/** The schema's primary identity descriptor. */
async function primaryDescriptor(schemaId: string): Promise<registry.Descriptor | undefined> {
  return (await registry.listDescriptors(adobeClient(), schemaId)).find((d) => d["@type"] === "xdm:descriptorIdentity" && d["xdm:isPrimary"] === true);
}

const sameIdentity = (d: registry.Descriptor, identity: NonNullable<Inputs["primaryIdentity"]>) =>
  d["xdm:sourceProperty"] === pointer(identity.path) && d["xdm:namespace"]?.toLowerCase() === identity.namespace.toLowerCase();

/** What an adopted schema lacks of the declaration (`descriptor`: its primary identity's, read once), in words a person can act on in the UI. */
function adoptedProblems(inputs: Inputs, live: registry.XdmResource, descriptor: registry.Descriptor | undefined): string[] {
  const problems: string[] = [];
  if (live["meta:class"] !== inputs.classId) problems.push(`its class is ${live["meta:class"]}, not ${inputs.classId}`);
  const extended = new Set(live["meta:extends"] ?? []);
  for (const id of inputs.fieldGroupIds) if (!extended.has(id)) problems.push(`it does not use field group ${id}`);
  if (inputs.primaryIdentity) {
    if (!descriptor || !sameIdentity(descriptor, inputs.primaryIdentity)) problems.push(`its primary identity is not ${inputs.primaryIdentity.path} (${inputs.primaryIdentity.namespace})`);
  }
  if (inputs.enableProfile && !(live["meta:immutableTags"] ?? []).includes(UNION_TAG)) problems.push("it is not enabled for Profile");
  return problems;
}

/** Gives a schema the stack made its primary identity (once: a descriptor found is kept) and the Profile tag. */
async function complete(inputs: Inputs, schema: registry.XdmResource): Promise<{ schema: registry.XdmResource; descriptorId: string }> {
  const client = adobeClient();
  let descriptorId = "";
  if (inputs.primaryIdentity) {
    const identity = inputs.primaryIdentity;
    const existing = await primaryDescriptor(schema.$id);
    if (existing && !sameIdentity(existing, identity)) {
      throw new Error(`Schema "${inputs.title}" (${schema.$id}) has primary identity ${existing["xdm:sourceProperty"]} (${existing["xdm:namespace"]}), not ${pointer(identity.path)} (${identity.namespace}).`);
    }
    descriptorId =
      existing?.["@id"] ??
      (
        await registry.createDescriptor(
          client,
          {
            "@type": "xdm:descriptorIdentity",
            "xdm:sourceSchema": schema.$id,
            "xdm:sourceVersion": 1,
            "xdm:sourceProperty": pointer(identity.path),
            "xdm:namespace": identity.namespace,
            "xdm:property": "xdm:code",
            "xdm:isPrimary": true,
          },
          { recover: () => primaryDescriptor(schema.$id) },
        )
      )["@id"];
  }
  let current = schema;
  if (inputs.enableProfile && !(current["meta:immutableTags"] ?? []).includes(UNION_TAG)) {
    current = await registry.patchSchema(client, schema.$id, [{ op: "add", path: "/meta:immutableTags", value: [UNION_TAG] }]);
  }
  return { schema: current, descriptorId };
}

export const schemaHandler = defineResource<Inputs, Outputs>({
  type: "aep:Schema",
  inputs: schemaInputs,
  replaceOnChanges: ["classId", "primaryIdentity", "adoptExisting"],
  keyed: true,

  async create(inputs, { owner }) {
    const found = await locateByTitle("schemas", `Schema "${inputs.title}"`, inputs.title, { owner, adoptExisting: inputs.adoptExisting });
    if ("resource" in found && found.adopted) {
      const descriptor = inputs.primaryIdentity ? await primaryDescriptor(found.resource.$id) : undefined;
      const problems = adoptedProblems(inputs, found.resource, descriptor);
      if (problems.length > 0) throw new Error(`Schema "${inputs.title}" (${found.resource.$id}) was made in the AEP UI, but ${problems.join("; ")}. Fix it in the AEP UI (Schemas), or let the stack create the schema (adoptExisting: false).`);
      return { id: found.resource.$id, outs: outputs(inputs, found.resource, descriptor?.["@id"] ?? "", true) };
    }
    const schema =
      "resource" in found
        ? found.resource
        : await found.create({
            title: inputs.title,
            description: withOwnershipMark(inputs.description, found.key),
            type: "object",
            allOf: [{ $ref: inputs.classId }, ...inputs.fieldGroupIds.map(($ref) => ({ $ref }))],
          });
    const done = await complete(inputs, schema);
    return { id: schema.$id, outs: outputs(inputs, done.schema, done.descriptorId, false) };
  },

  async read(id, outs) {
    try {
      const live = await registry.getResource(adobeClient(), "schemas", id);
      const extended = new Set(live["meta:extends"] ?? []);
      return {
        ...outputs(outs, live, outs.identityDescriptorId, outs.adopted),
        title: live.title ?? outs.title,
        fieldGroupIds: outs.fieldGroupIds.filter((g) => extended.has(g)),
        enableProfile: (live["meta:immutableTags"] ?? []).includes(UNION_TAG),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async update(id, olds, news, changed) {
    const client = adobeClient();
    const live = await registry.getResource(client, "schemas", id);
    if (olds.adopted) {
      const problems = adoptedProblems(news, live, news.primaryIdentity ? await primaryDescriptor(live.$id) : undefined);
      if (problems.length > 0) throw new Error(`Schema "${news.title}" (${id}) was made in the AEP UI, but ${problems.join("; ")}; fix it there (the stack only reads an adopted schema).`);
      return outputs(news, live, olds.identityDescriptorId, true);
    }
    const removed = olds.fieldGroupIds.filter((g) => !news.fieldGroupIds.includes(g));
    if (removed.length > 0) throw new Error(`Schema "${news.title}" (${id}): removing field groups (${removed.join(", ")}) is a breaking schema change Adobe refuses once data or Profile use the schema; replace the schema instead (pulumi up --replace).`);
    if (olds.enableProfile && !news.enableProfile) throw new Error(`Schema "${news.title}" (${id}): a schema enabled for Profile cannot be disabled (its "union" tag is immutable).`);
    const patch: Array<{ op: string; path: string; value?: unknown }> = [];
    if (changed.includes("title")) patch.push({ op: "replace", path: "/title", value: news.title });
    if (changed.includes("description")) {
      const key = ownershipMarkOf(live.description);
      patch.push({ op: "replace", path: "/description", value: key ? withOwnershipMark(news.description, key) : news.description ?? "" });
    }
    for (const g of news.fieldGroupIds.filter((g) => !olds.fieldGroupIds.includes(g))) {
      patch.push({ op: "add", path: "/allOf/-", value: { $ref: g } }, { op: "add", path: "/meta:extends/-", value: g });
    }
    const patched = patch.length > 0 ? await registry.patchSchema(client, id, patch) : live;
    const done = await complete(news, patched);
    return outputs(news, done.schema, done.descriptorId || olds.identityDescriptorId, false);
  },

  async delete(id, outs) {
    if (outs.adopted !== false) return;
    await registry.deleteResource(adobeClient(), "schemas", id);
  },
});
