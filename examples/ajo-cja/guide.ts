/**
 * Adobe's guide "Integrate Adobe Journey Optimizer with Customer Journey Analytics", table by
 * table, as data: the stack (`stack.ts`), the emulator set-up (`ui-setup.ts`) and the test that
 * checks the result all walk these tables, so a row exists in one place only.
 */

/** A row of the guide's "Create a connection" table. */
export interface GuideDataset {
  /** Dataset name as AEP shows it. */
  name: string;
  /** The guide's "Dataset type": Event, or Record (a `lookup` dataset in the connection). */
  type: "event" | "lookup";
  /** Event datasets: "Person ID" (`IdentityMap` = the identity map's primary identity). */
  personIdField?: string;
  /** Record datasets: "Key". */
  key?: string;
  /** Record datasets: "Matching Key" (the field of the event datasets that matches `key`). */
  matchingKey?: string;
  description: string;
}

/** A row of the guide's "Configure dimensions in the data view" table. */
export interface GuideDimension {
  name: string;
  /** The guide's "Schema element". */
  schemaPath: string;
  /** The guide's "Context Labels". */
  contextLabels?: string[];
}

/** One "Equals `value`" criterion of a metric's include/exclude values. */
export interface GuideRule {
  clause: "equals";
  value: string;
}

/** A row of the guide's "Configure metrics in the data view" table. */
export interface GuideMetric {
  name: string;
  description: string;
  /** The guide's "Schema element". */
  schemaPath: string;
  /**
   * The component id set in the Data View Manager: several metrics read the same schema element
   * (four read `feedbackStatus`, four `interactionType`), so each is pinned by id.
   */
  componentId: string;
  /** "Include exclude values"; `match: "any"` is the guide's "If any criteria are met". */
  includeExclude: { match?: "any"; rules: GuideRule[] };
}

/** A row of the guide's "Configure calculated metrics in Analysis Workspace" table. */
export interface GuideCalculatedMetric {
  name: string;
  description: string;
  /** The formula exactly as the guide writes it; each bracketed name is a metric of {@link AJO_METRICS}. */
  formula: string;
}

const CJM = "_experience.customerJourneyManagement";

export const IDENTITY_MAP = "IdentityMap";

export const AJO_DATASETS: readonly GuideDataset[] = [
  {
    name: "AJO Message Feedback Event Dataset",
    type: "event",
    personIdField: IDENTITY_MAP,
    description: "Contains message delivery events, such as 'Sends' and 'Bounces'.",
  },
  {
    name: "AJO Email Tracking Experience Event Dataset",
    type: "event",
    personIdField: IDENTITY_MAP,
    description: "Contains email tracking events such as 'Opens', 'Clicks', and 'Unsubscribes'.",
  },
  {
    name: "AJO Push Tracking Experience Event Dataset",
    type: "event",
    personIdField: IDENTITY_MAP,
    description: "Contains push tracking events such as 'App Launches'.",
  },
  {
    name: "Journey Step Events",
    type: "event",
    personIdField: "_experience.journeyOrchestration.stepEvents.profileID",
    description: "Contains events showing which profiles participated in each node of the journey.",
  },
  {
    name: "AJO Entity Dataset",
    type: "lookup",
    key: "_id",
    matchingKey: "_experience.decisioning.propositions.scopeDetails.correlationID",
    description: "Contains classifications that associate Journey and Campaign metadata to all AJO event data.",
  },
];

export const AJO_DIMENSIONS: readonly GuideDimension[] = [
  { name: "Journey Name", schemaPath: `${CJM}.entities.journey.journeyName` },
  { name: "Journey Name & Version", schemaPath: `${CJM}.entities.journey.journeyNameAndVersion` },
  // The guide's row gives Journey Name's element; AJO's schema has a node name field (README: "The guide's erratum").
  { name: "Journey Node Name", schemaPath: `${CJM}.entities.journey.journeyNodeName` },
  { name: "Journey Node Type", schemaPath: `${CJM}.entities.journey.journeyNodeType` },
  { name: "Campaign name", schemaPath: `${CJM}.entities.campaign.name` },
  { name: "Channel", schemaPath: `${CJM}.entities.channelDetails.channel._id` },
  { name: "Push Title", schemaPath: `${CJM}.entities.channelDetails.push.title` },
  { name: "Email Subject", schemaPath: `${CJM}.entities.channelDetails.email.subject` },
  { name: "Link Label", schemaPath: `${CJM}.messageInteraction.label` },
  { name: "Experiment Name", schemaPath: `${CJM}.entities.experiment.experimentName`, contextLabels: ["Experimentation Experiment"] },
  { name: "Treatment Name", schemaPath: `${CJM}.entities.experiment.treatmentName`, contextLabels: ["Experimentation Variant"] },
  { name: "Email Delivery Failure Reason", schemaPath: `${CJM}.messageDeliveryfeedback.messageFailure.reason` },
  { name: "Email Delivery Exclusion Reason", schemaPath: `${CJM}.messageDeliveryfeedback.messageExclusion.reason` },
];

const FEEDBACK_STATUS = `${CJM}.messageDeliveryfeedback.feedbackStatus`;
const INTERACTION_TYPE = `${CJM}.messageInteraction.interactionType`;
const equals = (...values: string[]): GuideRule[] => values.map((value) => ({ clause: "equals", value }));

export const AJO_METRICS: readonly GuideMetric[] = [
  {
    name: "Bounces",
    description: "The number of messages that bounced, including both immediate bounces and bounces after delivery.",
    schemaPath: FEEDBACK_STATUS,
    componentId: "metrics/bounces",
    includeExclude: { match: "any", rules: equals("bounce", "denylist") },
  },
  {
    name: "Bounces After Delivery",
    description: "Some email services report emails delivered, then bounce them later.",
    schemaPath: `${CJM}.messageDeliveryfeedback.messageFailure.category`,
    componentId: "metrics/bounces_after_delivery",
    includeExclude: { rules: equals("async") },
  },
  {
    name: "Email Clicks",
    description: "The count of clicks within messages.",
    schemaPath: INTERACTION_TYPE,
    componentId: "metrics/email_clicks",
    includeExclude: { rules: equals("click") },
  },
  {
    name: "Email Opens",
    description: "The number of opened messages.",
    schemaPath: INTERACTION_TYPE,
    componentId: "metrics/email_opens",
    includeExclude: { rules: equals("open") },
  },
  {
    name: "Errors",
    description: "The number of messages that errored out.",
    schemaPath: FEEDBACK_STATUS,
    componentId: "metrics/errors",
    includeExclude: { rules: equals("error") },
  },
  {
    name: "Excludes",
    description: "The number of messages excluded.",
    schemaPath: FEEDBACK_STATUS,
    componentId: "metrics/excludes",
    includeExclude: { rules: equals("exclude") },
  },
  {
    name: "Sends",
    description: "The number of messages that email providers accepted.",
    schemaPath: FEEDBACK_STATUS,
    componentId: "metrics/sends",
    includeExclude: { rules: equals("sent") },
  },
  {
    name: "Spam Complaints",
    description: "The count of spam complaints.",
    schemaPath: INTERACTION_TYPE,
    componentId: "metrics/spam_complaints",
    includeExclude: { rules: equals("spam_complaint") },
  },
  {
    name: "Unsubscribes",
    description: "The count of unsubscribes.",
    schemaPath: INTERACTION_TYPE,
    componentId: "metrics/unsubscribes",
    includeExclude: { rules: equals("unsubscribe") },
  },
];

export const AJO_CALCULATED_METRICS: readonly GuideCalculatedMetric[] = [
  {
    name: "Messages Sent",
    description: "The total number of messages sent. Includes successful or failed messages.",
    formula: "[Sends] + [Bounces] - [Bounces After Delivery]",
  },
  {
    name: "Messages Delivered",
    description: "The number of emails delivered to customers.",
    formula: "[Sends] - [Bounces After Delivery]",
  },
];

/** The bracketed metric names of a formula, in order, each once: `[Sends] - [Bounces]` → `Sends`, `Bounces`. */
export function formulaMetricNames(formula: string): string[] {
  return [...new Set([...formula.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]))];
}

/** A resource name from a guide name: `Journey Name & Version` → `journey-name-version`. */
export function resourceName(guideName: string): string {
  return guideName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
