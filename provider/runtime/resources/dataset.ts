import { z } from "zod";
import * as datasets from "../../adobe/aep/datasets";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { datasetById, rememberDatasets } from "../dataset-reads";
import { onlyOwn, ownershipKey } from "../ownership";
import { defineResource } from "../resource-handler";
import { datasetId, nonEmpty, objectName } from "../schemas";

const PROFILE_UNION_IDS = ["_xdm.context.profile__union", "https://ns.adobe.com/xdm/context/profile__union"];

/** Whether a schema reference (either form Adobe accepts) is the Profile union schema. */
export function isProfileUnion(schemaId: string | undefined): boolean {
  return schemaId !== undefined && PROFILE_UNION_IDS.includes(schemaId);
}

export const datasetInputs = z
  .strictObject({
    name: objectName,
    schemaId: nonEmpty.optional(),
    description: z.string().optional(),
    datasetId: datasetId.optional(),
    adoptExisting: z.boolean().optional(),
    enableProfile: z.boolean().optional(),
  })
  .superRefine((inputs, ctx) => {
    if (inputs.datasetId !== undefined && inputs.adoptExisting) {
      ctx.addIssue({ code: "custom", path: ["adoptExisting"], message: "give datasetId or adoptExisting, not both" });
    }
    if (inputs.datasetId === undefined && !inputs.adoptExisting && inputs.schemaId === undefined) {
      ctx.addIssue({ code: "custom", path: ["schemaId"], message: "a dataset the stack creates needs its schema (e.g. _xdm.context.profile__union)" });
    }
  });

type Inputs = z.infer<typeof datasetInputs>;
interface Outputs extends Inputs {
  datasetId: string;
  tableName: string;
  schemaId: string;
  /** True when the stack found the dataset instead of creating it: then it never deletes it. */
  adopted: boolean;
  profileEnabled?: boolean;
  [key: string]: unknown;
}

const adopted = (inputs: Inputs) => inputs.datasetId !== undefined || inputs.adoptExisting === true;

/** Catalog's tags that enable a dataset for Real-Time Customer Profile and Identity Service, set with its create. */
export const PROFILE_TAGS = { unifiedProfile: ["enabled:true"], unifiedIdentity: ["enabled:true"] };

const profileEnabled = (live: datasets.Dataset) => (live.tags?.unifiedProfile ?? []).some((v) => v.replace(/\s/g, "") === "enabled:true");

function outputs(inputs: Inputs, live: datasets.Dataset, wasAdopted: boolean): Outputs {
  // Only for a dataset that declares it, so a state written before the input existed refreshes unchanged.
  return { ...inputs, adopted: wasAdopted, ...(inputs.enableProfile !== undefined ? { profileEnabled: profileEnabled(live) } : {}), datasetId: live.id, name: live.name ?? inputs.name, tableName: live.tags?.["adobe/pqs/table"]?.[0] ?? "", schemaId: inputs.schemaId ?? live.schemaRef?.id ?? "" };
}

/** The Catalog tag that carries the ownership key of a dataset the stack creates (set with the create itself). */
export const OWNER_TAG = "pulumi/owner";

/** The dataset an earlier run created for this resource (it carries the key); two fail with their ids. */
async function ownDataset(inputs: Inputs, key: string): Promise<string | undefined> {
  return carrying(inputs, key, await datasets.listDatasets(adobeClient(), { tags: { [OWNER_TAG]: key } }))?.id;
}

function carrying(inputs: Inputs, key: string, found: datasets.Dataset[]): datasets.Dataset | undefined {
  return onlyOwn(
    found.filter((d) => d.tags?.[OWNER_TAG]?.includes(key)),
    { subject: `Dataset "${inputs.name}"`, objects: "datasets", key, remedy: "Delete all but one in the AEP UI, then run pulumi up again (it adopts the one left)." },
  );
}

async function locate(inputs: Inputs, owner: string | undefined): Promise<string> {
  const client = adobeClient();
  if (inputs.datasetId) return inputs.datasetId;
  const found = (await datasets.listDatasets(client, { name: inputs.name })).filter((d) => d.name === inputs.name);
  rememberDatasets(found);
  if (inputs.adoptExisting) {
    if (found.length === 1) return found[0].id;
    throw new Error(`Dataset "${inputs.name}": ${found.length === 0 ? "no dataset has this name" : `${found.length} datasets have this name`} in sandbox ${client.sandbox}; give datasetId.`);
  }
  // The datasets of this name also tell whether an earlier run made this one (a name change replaces it).
  const key = ownershipKey(owner);
  const own = owner === undefined ? undefined : carrying(inputs, key, found);
  if (own) return own.id;
  if (found.length > 0) {
    throw new Error(`Dataset "${inputs.name}": a dataset with this name already exists (${found.map((d) => d.id).join(", ")}); adopt it (adoptExisting: true) or choose another name.`);
  }
  return datasets.createDataset(
    client,
    {
      name: inputs.name,
      description: inputs.description,
      schemaRef: { id: inputs.schemaId ?? "", contentType: "application/vnd.adobe.xed+json;version=1" },
      tags: { [OWNER_TAG]: [key], ...(inputs.enableProfile ? PROFILE_TAGS : {}) },
    },
    { recover: () => ownDataset(inputs, key) },
  );
}

export const datasetHandler = defineResource<Inputs, Outputs>({
  type: "aep:Dataset",
  inputs: datasetInputs,
  // A new description is set in place: a replacement would create a second dataset of the same name first.
  replaceOnChanges: ["name", "schemaId", "datasetId", "adoptExisting", "enableProfile"],
  computedWhenOmitted: ["datasetId", "schemaId"],

  keyed: true,
  async create(inputs, { owner }) {
    const id = await locate(inputs, owner);
    const live = await datasetById(id);
    if (inputs.schemaId !== undefined && live.schemaRef?.id !== inputs.schemaId && !(isProfileUnion(inputs.schemaId) && isProfileUnion(live.schemaRef?.id))) {
      throw new Error(`Dataset "${inputs.name}" (${id}) uses schema ${live.schemaRef?.id}, not the declared ${inputs.schemaId}.`);
    }
    if (inputs.enableProfile && !profileEnabled(live)) {
      throw new Error(`Dataset "${inputs.name}" (${id}) is not enabled for Profile; enable it in the AEP UI (Datasets > Profile toggle) or let the stack create the dataset.`);
    }
    return { id, outs: outputs(inputs, live, adopted(inputs)) };
  },

  async read(id, outs) {
    try {
      return outputs(outs, await datasets.getDataset(adobeClient(), id), outs.adopted ?? true);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async update(id, olds, news, changed) {
    const wasAdopted = olds.adopted ?? true;
    // An adopted dataset belongs to someone else: its description is only read.
    if (!wasAdopted && changed.includes("description")) await datasets.updateDatasetDescription(adobeClient(), id, news.description ?? "");
    return outputs(news, await datasets.getDataset(adobeClient(), id), wasAdopted);
  },

  async delete(id, outs) {
    if (outs.adopted !== false) return;
    try {
      await datasets.deleteDataset(adobeClient(), id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
});
