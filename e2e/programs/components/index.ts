/**
 * A filter of the email channel's events, a date range, and a calculated metric that counts the
 * sends the filter keeps: each shared and tagged, in a data view made in the UI.
 */
import * as pulumi from "@pulumi/pulumi";
import { CalculatedMetric, DateRange, Filter } from "pulumi-adobe-cja";

const config = new pulumi.Config();
const dataViewId = config.require("dataViewId");
const CJM = "_experience.customerJourneyManagement";
const channel = `variables/${CJM}.entities.channelDetails.channel._id`;
const analysts = 123456789;
const owner = "B3F1A2C45E6D7F8A9B0C1D2E@AdobeID";

const email = new Filter("email-channel", {
  dataViewId,
  name: "Email channel",
  description: "Events of the email channel",
  definition: { context: "event", rules: [{ dimension: channel, equals: "email" }] },
  shares: [{ type: "group", id: analysts }, { type: "user", id: owner }],
  tags: ["journey-optimizer", "email"],
});

const campaign = new DateRange("campaign-window", {
  name: "Campaign window",
  description: "The January campaign",
  definition: "2024-01-01T00:00:00/2024-01-31T23:59:59",
  shares: [{ type: "all" }],
  tags: ["campaigns"],
});

const emailSends = new CalculatedMetric("email-sends", {
  dataViewId,
  name: "Email sends",
  formula: 'filter([Sends], "Email")',
  metrics: { Sends: "metrics/sends" },
  filters: { Email: email.filterId },
  shares: [{ type: "group", id: analysts }],
  tags: ["journey-optimizer", "sends"],
});

export const filterId = email.filterId;
export const dateRangeId = campaign.dateRangeId;
export const calculatedMetricId = emailSends.calculatedMetricId;
