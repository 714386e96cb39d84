/** A data view and a calculated metric a team built in the UI, taken over in place. */
import * as pulumi from "@pulumi/pulumi";
import { CalculatedMetric, DataView } from "pulumi-adobe-cja";

const config = new pulumi.Config();

const dataView = new DataView("team-reporting", {
  adoptId: config.require("dataViewId"),
  name: "Team reporting (managed)",
  description: "Built in the Data View Manager, managed by Pulumi since.",
  connectionId: config.require("connectionId"),
  timezone: "US/Mountain",
});

const rate = new CalculatedMetric("sends-x100", {
  adoptId: config.require("calculatedMetricId"),
  dataViewId: dataView.dataViewId,
  name: "Sends x100",
  formula: "[Sends] * 100",
  metrics: { Sends: "metrics/sends" },
});

export const dataViewId = dataView.dataViewId;
export const calculatedMetricId = rate.calculatedMetricId;
