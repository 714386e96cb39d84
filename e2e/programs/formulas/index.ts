/**
 * A data view copied from the template, and calculated metrics that use what Adobe's definitions
 * hold besides metrics and arithmetic: constants, comparisons, functions, a filter.
 */
import * as pulumi from "@pulumi/pulumi";
import { CalculatedMetric, DataView } from "pulumi-adobe-cja";

const config = new pulumi.Config();
const metrics = { Sends: "metrics/sends", Bounces: "metrics/bounces", "Email Opens": "metrics/email_opens" };

const dataView = new DataView("reporting", {
  name: "Formulas (e2e)",
  connectionId: config.require("connectionId"),
  timezone: "US/Mountain",
  copyFrom: config.require("templateDataViewId"),
});

export const FORMULAS = {
  "bounce-rate": "([Bounces] / [Sends]) * 100",
  "open-rate-or-zero": "if([Sends] > 0, [Email Opens] / [Sends], 0)",
  "running-sends": "cumul(0, [Sends]) - mean([Sends], false)",
  "email-bounces": 'filter([Bounces], "Email") / abs(-[Sends])',
};

const made = Object.fromEntries(
  Object.entries(FORMULAS).map(([name, formula]) => [
    name,
    new CalculatedMetric(name, {
      dataViewId: dataView.dataViewId,
      name,
      type: "percent",
      formula,
      metrics,
      filters: { Email: config.require("emailFilterId") },
    }),
  ]),
);

export const dataViewId = dataView.dataViewId;
export const calculatedMetricIds = Object.fromEntries(Object.entries(made).map(([name, cm]) => [name, cm.calculatedMetricId]));
export const formulas = Object.fromEntries(Object.entries(made).map(([name, cm]) => [name, cm.formula]));
