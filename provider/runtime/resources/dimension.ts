import { z } from "zod";
import { compare, type Difference } from "../drift";
import { defineLookup } from "../resource-handler";
import type { LiveComponent } from "../component-cache";
import { adoptComponent, componentInputShape, readComponent, requireOneLocator, type ComponentOutputs } from "./component";
import { allocationName, expirationName, type WireAllocationModel } from "./allocation";

export const dimensionInputs = z
  .strictObject({
    ...componentInputShape("dimensions"),
    substring: z.strictObject({ delimiter: z.string().min(1, "must not be empty") }).optional(),
    persistence: z
      .strictObject({
        allocation: z.enum(["most-recent", "original", "all", "first-known", "last-known"]),
        expiration: z.enum(["session", "person"]),
      })
      .optional(),
  })
  .superRefine(requireOneLocator);

type Inputs = z.infer<typeof dimensionInputs>;
type Outputs = Inputs & ComponentOutputs & Record<string, unknown>;

/** The substring split of a live dimension (`fieldDefinition` element `func: "split"`), if any. */
export function liveSubstring(live: LiveComponent): Inputs["substring"] {
  const split = (live.fieldDefinition ?? []).find((step) => step.func === "split");
  return split ? { delimiter: String(split.delimiter ?? "") } : undefined;
}

export function livePersistence(live: LiveComponent): Inputs["persistence"] {
  const setting = (live as { persistenceSetting?: { enabled?: boolean; allocationModel?: WireAllocationModel } }).persistenceSetting;
  if (!setting?.enabled) return undefined;
  return {
    allocation: allocationName(setting.allocationModel?.func) as "most-recent",
    expiration: expirationName(setting.allocationModel) as "session",
  };
}

function differences(inputs: Inputs, live: LiveComponent): Difference[] {
  const where = `In the Data View Manager, select the dimension "${live.name}" (${live.id})`;
  return [
    ...compare("substring", inputs.substring, liveSubstring(live), `${where}, open Substring, choose the Delimiter method and set the delimiter to "${inputs.substring?.delimiter}".`),
    ...compare("persistence", inputs.persistence, livePersistence(live), `${where}, open Persistence and set Allocation to ${inputs.persistence?.allocation} and Expiration to ${inputs.persistence?.expiration}.`),
  ];
}

function liveExtra(inputs: Inputs, live: LiveComponent): Partial<Inputs> {
  return {
    ...(inputs.substring !== undefined ? { substring: liveSubstring(live) } : {}),
    ...(inputs.persistence !== undefined ? { persistence: livePersistence(live) } : {}),
  };
}

export const dimensionHandler = defineLookup<Inputs, Outputs>({
  type: "cja:Dimension",
  inputs: dimensionInputs,
  async verify(inputs) {
    const outs = await adoptComponent("dimensions", inputs, differences, liveExtra);
    return { id: `${inputs.dataViewId}/${outs.componentId}`, outs: { ...inputs, ...outs } as Outputs };
  },
  refresh: (_id, recorded) => readComponent("dimensions", recorded, liveExtra) as Promise<Outputs | undefined>,
});
