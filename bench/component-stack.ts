/**
 * A generated stack for data views with many components: a template data view seeded on the
 * emulator (as the Data View Manager would leave it) with `count` components, half dimensions and
 * half metrics, and a program that copies the template and declares every component as a
 * Dimension or Metric resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { DataView, Dimension, Metric } from "pulumi-adobe-cja";
import { EmulatorAdmin } from "./emulator-admin";

/** The seeded objects a {@link componentStack} program points at. */
export interface ComponentSetup {
  connectionId: string;
  templateDataViewId: string;
  dimensions: SeededComponent[];
  metrics: SeededComponent[];
}

export interface SeededComponent {
  id: string;
  name: string;
  schemaPath: string;
}

const CONNECTION_ID = "dg_0b5e7c1d-2f3a-4b6c-8d9e-0a1b2c3d4e5f";
const TEMPLATE_ID = "dv_0b5e7c1d2f3a4b6c8d9e0a1b";
const DATASET_ID = "63c3f0000000000000000001";

const pad = (n: number) => String(n).padStart(4, "0");

/** `count` components: the first half dimensions, the rest metrics. */
export function generatedComponents(count: number): { dimensions: SeededComponent[]; metrics: SeededComponent[] } {
  const dims = Math.ceil(count / 2);
  const dimensions = Array.from({ length: dims }, (_, i) => ({ id: `variables/bench.dim${pad(i + 1)}`, name: `Bench dimension ${i + 1}`, schemaPath: `bench.dim${pad(i + 1)}` }));
  const metrics = Array.from({ length: count - dims }, (_, i) => ({ id: `metrics/bench.met${pad(i + 1)}`, name: `Bench metric ${i + 1}`, schemaPath: `bench.met${pad(i + 1)}` }));
  return { dimensions, metrics };
}

/**
 * Plays the Data View Manager on the emulator: a connection, and a template data view whose
 * components are set with the bulk admin route (`PUT .../dataviews/:id/components`).
 */
export async function seedComponentTemplate(admin: EmulatorAdmin, orgId: string, count: number): Promise<ComponentSetup> {
  const org = EmulatorAdmin.org(orgId);
  await admin.call("PUT", `${org}/connections/${CONNECTION_ID}`, {
    name: "Bench events",
    dataSets: [{ dataSetId: DATASET_ID, name: "Bench event dataset", type: "event", timestampId: "timestamp", identityMap: true }],
  });
  if (!(await admin.exists(`${org}/dataviews/${TEMPLATE_ID}`))) {
    await admin.call("POST", `${org}/dataviews`, { id: TEMPLATE_ID, name: "Bench template", parentDataGroupId: CONNECTION_ID, timezoneDesignator: "US/Mountain" });
  }
  const { dimensions, metrics } = generatedComponents(count);
  const field = (c: SeededComponent) => ({ id: c.id, name: c.name, sourceFieldId: c.schemaPath, sourceFieldName: c.schemaPath, schemaPath: c.schemaPath, dataSetIds: [DATASET_ID] });
  await admin.call("PUT", `${org}/dataviews/${TEMPLATE_ID}/components`, {
    replace: true,
    dimensions: dimensions.map((d) => ({ ...field(d), type: "string" })),
    metrics: metrics.map((m) => ({ ...field(m), type: "int" })),
  });
  return { connectionId: CONNECTION_ID, templateDataViewId: TEMPLATE_ID, dimensions, metrics };
}

/** Declares the copy of the template and every component of it; returns the stack outputs. */
export function componentStack(setup: ComponentSetup, dataViewName: string): { dataViewId: pulumi.Output<string>; components: pulumi.Output<number> } {
  const dataView = new DataView("bench", {
    name: dataViewName,
    connectionId: setup.connectionId,
    timezone: "US/Mountain",
    copyFrom: setup.templateDataViewId,
  });
  const declared = [
    ...setup.dimensions.map((d, i) => new Dimension(`dim-${pad(i + 1)}`, { dataViewId: dataView.dataViewId, componentId: d.id, name: d.name, schemaPath: d.schemaPath })),
    ...setup.metrics.map((m, i) => new Metric(`met-${pad(i + 1)}`, { dataViewId: dataView.dataViewId, componentId: m.id, name: m.name, schemaPath: m.schemaPath })),
  ];
  return { dataViewId: dataView.dataViewId, components: pulumi.all(declared.map((r) => r.urn)).apply((urns) => urns.length) };
}
