/**
 * A data view copied from the template, and two calculated metrics on it, with the resource
 * options the tests turn on and off through stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { CalculatedMetric, DataView } from "pulumi-adobe-cja";

const config = new pulumi.Config();

const dataView = new DataView(
  "reporting",
  {
    name: "Engine options (e2e)",
    connectionId: config.require("connectionId"),
    timezone: "US/Mountain",
    copyFrom: config.require("templateDataViewId"),
  },
  { protect: config.requireBoolean("protect") },
);

const delivered = new CalculatedMetric(
  config.requireBoolean("renamed") ? "messages-delivered-renamed" : "messages-delivered",
  {
    dataViewId: dataView.dataViewId,
    name: "Messages Delivered",
    description: config.require("description"),
    formula: "[Sends] - [Bounces]",
    metrics: { Sends: "metrics/sends", Bounces: "metrics/bounces" },
  },
  {
    ignoreChanges: config.requireBoolean("ignoreDescription") ? ["description"] : [],
    aliases: config.requireBoolean("renamed") ? [{ name: "messages-delivered" }] : [],
  },
);

// No output of `delivered` flows into this one: only dependsOn orders the two creates.
const sent = new CalculatedMetric(
  "messages-sent",
  {
    dataViewId: dataView.dataViewId,
    name: "Messages Sent",
    formula: "[Sends] + [Bounces]",
    metrics: { Sends: "metrics/sends", Bounces: "metrics/bounces" },
  },
  { dependsOn: [delivered] },
);

if (config.requireBoolean("throw")) throw new Error("The program stopped on purpose after declaring its resources.");

export const dataViewId = dataView.dataViewId;
export const calculatedMetricIds = { delivered: delivered.calculatedMetricId, sent: sent.calculatedMetricId };
/** The Node.js release the language host ran the program under. */
export const nodeVersion = process.version;
