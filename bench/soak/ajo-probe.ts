/**
 * The soak's extra calculated metric in examples/ajo-cja: `Soak probe <n>`, where `n` is the
 * stack config `soak:probe`, a new one each run. This file is copied into the real CLI's program
 * as `soak-probe.ts`, so it imports nothing but the package.
 */
import * as pulumi from "@pulumi/pulumi";
import { CalculatedMetric, type DataView, type Metric } from "pulumi-adobe-cja";

export const PROBE_FORMULA = "[Sends] - [Bounces]";
/** The config key (namespace `soak`) that numbers the probe. */
export const PROBE_CONFIG_KEY = "soak:probe";

export const probeName = (n: number): string => `Soak probe ${n}`;

/** Declares the probe on the stack's data view, numbered by the stack config. */
export function soakProbe(ajo: { dataView: DataView; metrics: Record<string, Metric> }): CalculatedMetric {
  const n = new pulumi.Config("soak").requireNumber("probe");
  return new CalculatedMetric(`soak-probe-${n}`, {
    dataViewId: ajo.dataView.dataViewId,
    name: probeName(n),
    formula: PROBE_FORMULA,
    metrics: { Sends: ajo.metrics.Sends.componentId, Bounces: ajo.metrics.Bounces.componentId },
  });
}
