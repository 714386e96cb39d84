import { z } from "zod";
import { compare, type Difference } from "../drift";
import { defineLookup } from "../resource-handler";
import { lowerEnum } from "../schemas";
import type { LiveComponent } from "../component-cache";
import { adoptComponent, componentInputShape, readComponent, requireOneLocator, type ComponentOutputs } from "./component";
import { attributionName, contextName, type WireAllocationModel } from "./allocation";

export const metricInputs = z
  .strictObject({
    ...componentInputShape("metrics"),
    attribution: z
      .strictObject({
        model: z.enum(["last-touch", "first-touch", "linear", "participation", "same-touch", "u-shaped", "j-shaped", "reverse-j", "time-decay", "algorithmic"]),
        lookback: z.enum(["session", "person"]),
      })
      .optional(),
    format: z
      .strictObject({
        type: lowerEnum(["decimal", "time", "percent", "currency"]).optional(),
        decimalPlaces: z.number().int().min(0).max(10).optional(),
        currency: z.string().length(3, "must be an ISO currency code like USD").optional(),
        polarity: lowerEnum(["positive", "negative"]).optional(),
      })
      .optional(),
  })
  .superRefine(requireOneLocator);

type Inputs = z.infer<typeof metricInputs>;
type Outputs = Inputs & ComponentOutputs & Record<string, unknown>;

interface WireMetricSettings {
  attributionSetting?: { enabled?: boolean; attributionModel?: WireAllocationModel; lookback?: { context?: string } };
  formatSetting?: { formatType?: string; decimalPlaces?: number; currency?: string; polarity?: string };
}

export function liveAttribution(live: LiveComponent): Inputs["attribution"] {
  const setting = (live as WireMetricSettings).attributionSetting;
  if (!setting?.enabled) return undefined;
  return {
    model: attributionName(setting.attributionModel?.func) as "last-touch",
    lookback: contextName(setting.lookback?.context ?? setting.attributionModel?.expiration?.context ?? setting.attributionModel?.context) as "session",
  };
}

/** The live format, limited to the fields the stack declares. */
export function liveFormat(declared: NonNullable<Inputs["format"]>, live: LiveComponent): Inputs["format"] {
  const f = (live as WireMetricSettings).formatSetting ?? {};
  const all = { type: f.formatType?.toLowerCase(), decimalPlaces: f.decimalPlaces, currency: f.currency, polarity: f.polarity?.toLowerCase() };
  return Object.fromEntries(Object.entries(all).filter(([key]) => declared[key as keyof typeof declared] !== undefined)) as Inputs["format"];
}

function differences(inputs: Inputs, live: LiveComponent): Difference[] {
  const where = `In the Data View Manager, select the metric "${live.name}" (${live.id})`;
  return [
    ...compare("attribution", inputs.attribution, liveAttribution(live), `${where}, tick "Set attribution" and set the model to ${inputs.attribution?.model} with a ${inputs.attribution?.lookback} lookback window.`),
    ...(inputs.format ? compare("format", inputs.format, liveFormat(inputs.format, live), `${where}, open Format and set ${JSON.stringify(inputs.format)}.`) : []),
  ];
}

function liveExtra(inputs: Inputs, live: LiveComponent): Partial<Inputs> {
  return {
    ...(inputs.attribution !== undefined ? { attribution: liveAttribution(live) } : {}),
    ...(inputs.format !== undefined ? { format: liveFormat(inputs.format, live) } : {}),
  };
}

export const metricHandler = defineLookup<Inputs, Outputs>({
  type: "cja:Metric",
  inputs: metricInputs,
  async verify(inputs) {
    const outs = await adoptComponent("metrics", inputs, differences, liveExtra);
    return { id: `${inputs.dataViewId}/${outs.componentId}`, outs: { ...inputs, ...outs } as Outputs };
  },
  refresh: (_id, recorded) => readComponent("metrics", recorded, liveExtra) as Promise<Outputs | undefined>,
});
