/**
 * The outputs of a Dimension or Metric that hold a setting as declared: one left undeclared is a
 * known undefined output, not a property registered with the engine (each registered property
 * costs the program an output and a captured stack trace per promise); a declared one and the
 * outputs Adobe fills in come back from the read, as the resource's outputs. Run under Pulumi's mocks.
 */
import * as pulumi from "@pulumi/pulumi";

/** What the mocked engine was given for each resource, by name. */
const registered = new Map<string, Record<string, unknown>>();

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.set(args.name, args.inputs as Record<string, unknown>);
      return { id: args.id ?? `${args.name}-id`, state: { ...args.inputs, componentId: "variables/web.page", schemaPath: "web.page" } };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

// Loaded after the mocks are set, as a program loads the package after the SDK starts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Dimension, Filter, Metric } = require("../../provider") as typeof import("../../provider");

/** The resources an output depends on (the SDK's own record of them). */
const dependsOn = (output: pulumi.Output<unknown>) => [...(output as unknown as { resources(): Set<pulumi.Resource> }).resources()];

type OutputOf<T> = T extends pulumi.Output<infer U> ? U : never;

/** An output's value and whether it is known, as an `apply` sees them. */
function settle<T>(output: pulumi.Output<T>): Promise<{ value: OutputOf<pulumi.Output<T>>; known: boolean }> {
  return new Promise((resolve) => {
    let seen = false;
    output.apply((value) => {
      seen = true;
      resolve({ value: value as OutputOf<pulumi.Output<T>>, known: true });
      return value;
    });
    setTimeout(() => !seen && resolve({ value: undefined as never, known: false }), 1000);
  });
}

describe("echo outputs", () => {
  it("an undeclared setting is a known undefined output and is not registered; a declared one comes back from the read", async () => {
    const dim = new Dimension("page", { dataViewId: "dv_1", schemaPath: "web.page", name: "Page", description: "Pages viewed" });
    expect(await settle(dim.description)).toEqual({ value: "Pages viewed", known: true });
    expect(await settle(dim.hidden)).toEqual({ value: undefined, known: true });
    expect(await settle(dim.persistence)).toEqual({ value: undefined, known: true });
    expect(await settle(dim.componentId)).toEqual({ value: "variables/web.page", known: true });
    expect(Object.keys(registered.get("page")!).sort()).toEqual(["__provider", "dataViewId", "description", "name", "schemaPath"]);
    // Registered outputs are the dimension's; an undeclared echo is no one's, so using it waits for nothing.
    expect(dependsOn(dim.description)).toEqual([dim]);
    expect(dependsOn(dim.componentId)).toEqual([dim]);
    expect(dependsOn(dim.hidden)).toEqual([]);
  });

  it("a Metric likewise: its attribution and format, declared or not", async () => {
    const metric = new Metric("views", { dataViewId: "dv_1", componentId: "metrics/views", name: "Views", format: { type: "decimal", decimalPlaces: 1 } });
    expect(await settle(metric.format)).toEqual({ value: { type: "decimal", decimalPlaces: 1 }, known: true });
    expect(await settle(metric.attribution)).toEqual({ value: undefined, known: true });
    expect(await settle(metric.onDrift)).toEqual({ value: undefined, known: true });
    expect(await settle(metric.profile)).toEqual({ value: undefined, known: true });
    expect(Object.keys(registered.get("views")!).sort()).toEqual(["__provider", "componentId", "dataViewId", "format", "name"]);
    expect(dependsOn(metric.format)).toEqual([metric]);
    expect(dependsOn(metric.attribution)).toEqual([]);
  });

  it("a managed resource's profile, adoptId and deleteOnDestroy likewise (a Filter)", async () => {
    const filter = new Filter("email", { dataViewId: "dv_1", name: "Email", definition: { context: "event", rules: [{ dimension: "variables/channel", equals: "email" }] }, deleteOnDestroy: true });
    expect(await settle(filter.deleteOnDestroy)).toEqual({ value: true, known: true });
    expect(dependsOn(filter.deleteOnDestroy)).toEqual([filter]);
    expect(await settle(filter.adoptId)).toEqual({ value: undefined, known: true });
    expect(dependsOn(filter.adoptId)).toEqual([]);
    expect(dependsOn(filter.profile)).toEqual([]);
    expect(dependsOn(filter.tags)).toEqual([filter]);
  });
});
