import { z } from "zod";
import * as connections from "../../adobe/cja/connections";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { batchedRead, type BatchedRead } from "../batched-reads";
import { compare, enforce, type Difference } from "../drift";
import { defineLookup } from "../resource-handler";
import { connectionDatasetId, connectionId, lowerEnum, nonEmpty, objectName, onDrift } from "../schemas";

/** The person ID value that means "use the identity map", as the guide writes it. */
export const IDENTITY_MAP = "IdentityMap";

const dataset = z
  .strictObject({
    datasetId: connectionDatasetId.optional(),
    name: nonEmpty.optional(),
    type: lowerEnum(["event", "profile", "lookup", "summary"]),
    personIdField: nonEmpty.optional(),
    timestampField: nonEmpty.optional(),
    key: nonEmpty.optional(),
    matchingKey: nonEmpty.optional(),
  })
  .superRefine((ds, ctx) => {
    if ((ds.datasetId === undefined) === (ds.name === undefined)) {
      ctx.addIssue({ code: "custom", path: ["datasetId"], message: "give exactly one of datasetId or name" });
    }
    if (ds.type === "lookup") {
      if (ds.key === undefined) ctx.addIssue({ code: "custom", path: ["key"], message: "a lookup dataset needs its key field" });
      if (ds.matchingKey === undefined) ctx.addIssue({ code: "custom", path: ["matchingKey"], message: "a lookup dataset needs the matching key of the event datasets" });
      if (ds.personIdField !== undefined) ctx.addIssue({ code: "custom", path: ["personIdField"], message: "a lookup dataset has a key, not a person ID" });
    } else {
      for (const field of ["key", "matchingKey"] as const) {
        if (ds[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: `only lookup datasets have a ${field} (this one is ${ds.type})` });
      }
    }
  });

export const connectionInputs = z
  .strictObject({
    connectionId: connectionId.optional(),
    name: objectName.optional(),
    datasets: z.array(dataset).optional(),
    onDrift,
  })
  .superRefine((inputs, ctx) => {
    if ((inputs.connectionId === undefined) === (inputs.name === undefined)) {
      ctx.addIssue({ code: "custom", path: ["connectionId"], message: "give exactly one of connectionId or name" });
    }
    const seen = new Map<string, number>();
    (inputs.datasets ?? []).forEach((ds, index) => {
      const key = ds.datasetId ?? `name:${ds.name}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["datasets", index], message: `declares the same dataset as datasets[${seen.get(key)}]` });
      seen.set(key, index);
    });
  });

type Inputs = z.infer<typeof connectionInputs>;
type DeclaredDataset = NonNullable<Inputs["datasets"]>[number];

export interface ResolvedDataset {
  datasetId: string;
  name: string;
  type: string;
  personIdField?: string;
  timestampField?: string;
  key?: string;
  matchingKey?: string;
}

interface Outputs extends Inputs {
  connectionId: string;
  name: string;
  resolvedDatasets: ResolvedDataset[];
  datasetIds: Record<string, string>;
  [key: string]: unknown;
}

/** A live dataset in the resource's terms. */
function resolved(ds: connections.ConnectionDataSet): ResolvedDataset {
  return {
    datasetId: ds.dataSetId,
    name: ds.name ?? ds.dataSetId,
    type: (ds.type ?? "").toLowerCase(),
    personIdField: ds.identityMap ? IDENTITY_MAP : ds.visitorId,
    timestampField: ds.timestampId,
    key: ds.lookupKeyField,
    matchingKey: ds.lookupParentFields?.[0],
  };
}

async function find(inputs: Inputs): Promise<connections.Connection> {
  const client = adobeClient();
  if (inputs.connectionId) return connections.getConnection(client, inputs.connectionId);
  const matches = (await connections.listConnections(client)).filter((c) => c.name === inputs.name);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new Error(`Connection: no connection named "${inputs.name}" in org ${client.orgId}. Create it in CJA (Data management > Connections) or give its connectionId.`);
  throw new Error(`Connection: ${matches.length} connections are named "${inputs.name}" (${matches.map((c) => c.id).join(", ")}); give connectionId instead.`);
}

function label(ds: DeclaredDataset): string {
  return ds.name !== undefined ? `datasets["${ds.name}"]` : `datasets["${ds.datasetId}"]`;
}

/** Every difference between the declared datasets and the live connection. */
function differences(connection: connections.Connection, declared: DeclaredDataset[]): Difference[] {
  const live = (connection.dataSets ?? []).map(resolved);
  const where = `In CJA, open Data management > Connections > "${connection.name}" > Edit connection`;
  return declared.flatMap((ds) => {
    const match = live.find((l) => (ds.datasetId ? l.datasetId === ds.datasetId : l.name === ds.name));
    if (!match) {
      return [{ setting: label(ds), declared: ds.datasetId ?? ds.name, live: undefined, fix: `${where} and add the dataset.` }];
    }
    const fix = (what: string) => `${where}, select the dataset "${match.name}" and set ${what}.`;
    return [
      ...compare(`${label(ds)}.type`, ds.type, match.type, "A dataset's type cannot be changed: remove the dataset from the connection and add it again with the declared type."),
      ...compare(`${label(ds)}.personIdField`, ds.personIdField, match.personIdField, fix(`Person ID to ${ds.personIdField}`)),
      ...compare(`${label(ds)}.timestampField`, ds.timestampField, match.timestampField, fix(`Timestamp to ${ds.timestampField}`)),
      ...compare(`${label(ds)}.key`, ds.key, match.key, fix(`Key to ${ds.key}`)),
      ...compare(`${label(ds)}.matchingKey`, ds.matchingKey, match.matchingKey, fix(`Matching key to ${ds.matchingKey}`)),
    ];
  });
}

/** Live outputs; declared datasets absent from the connection are left out, so refresh shows them as drift. */
function outputs(inputs: Inputs, connection: connections.Connection): Outputs {
  const live = (connection.dataSets ?? []).map(resolved);
  const declared = inputs.datasets ?? [];
  const resolvedDatasets = declared.flatMap((ds) => live.filter((l) => (ds.datasetId ? l.datasetId === ds.datasetId : l.name === ds.name)).slice(0, 1));
  return {
    ...inputs,
    connectionId: connection.id,
    name: connection.name ?? inputs.name ?? connection.id,
    resolvedDatasets,
    datasetIds: Object.fromEntries(live.map((ds) => [ds.name, ds.datasetId])),
  };
}

/** The declared datasets as the live connection has them (what `refresh` reports). */
function liveDeclaredDatasets(inputs: Inputs, connection: connections.Connection): DeclaredDataset[] | undefined {
  if (!inputs.datasets) return undefined;
  const live = (connection.dataSets ?? []).map(resolved);
  return inputs.datasets.flatMap((ds) => {
    const match = live.find((l) => (ds.datasetId ? l.datasetId === ds.datasetId : l.name === ds.name));
    if (!match) return [];
    const pickDeclared = <K extends keyof DeclaredDataset>(key: K, value: DeclaredDataset[K]) => (ds[key] === undefined ? {} : { [key]: value });
    return [
      {
        ...(ds.datasetId ? { datasetId: match.datasetId } : { name: match.name }),
        type: match.type as DeclaredDataset["type"],
        ...pickDeclared("personIdField", match.personIdField),
        ...pickDeclared("timestampField", match.timestampField),
        ...pickDeclared("key", match.key),
        ...pickDeclared("matchingKey", match.matchingKey),
      },
    ];
  });
}

async function adopt(inputs: Inputs): Promise<Outputs> {
  const connection = await find(inputs);
  enforce(`Connection "${connection.name}" (${connection.id})`, differences(connection, inputs.datasets ?? []), inputs.onDrift);
  return outputs(inputs, connection);
}

/** A refresh's connections, read together by one list (`batched-reads.ts`). */
const CONNECTION_READS: BatchedRead<connections.Connection> = {
  list: (client, ids) => connections.listConnections(client, { connectionIds: ids }),
  get: (client, id) => connections.getConnection(client, id),
  idOf: (c) => c.id,
};

export const connectionHandler = defineLookup<Inputs, Outputs>({
  type: "cja:Connection",
  inputs: connectionInputs,

  async verify(inputs) {
    const outs = await adopt(inputs);
    return { id: outs.connectionId, outs };
  },

  async refresh(id, recorded) {
    let connection: connections.Connection;
    try {
      connection = await batchedRead("connections", id, CONNECTION_READS);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const declared: Inputs = { connectionId: recorded.connectionId, name: recorded.name, datasets: recorded.datasets, onDrift: recorded.onDrift ?? "fail" };
    return { ...outputs(declared, connection), datasets: liveDeclaredDatasets(declared, connection), onDrift: recorded.onDrift };
  },
});
