/**
 * What the stack adds beyond Adobe's guide, of the kind teams build on Journey Optimizer data: a
 * filter of the email channel's events and a calculated metric of the email channel's sends,
 * filtered by it. The guide's own tables are in `guide.ts`.
 */

/**
 * The value the `Channel` dimension (`channelDetails.channel._id`) holds for email: the XDM
 * Experience Channel id of email (Adobe's AJO datasets write the channel as its XDM id, e.g. the
 * feedback dataset's `messageProfile.channel._id`; docs/ADOBE-API.md, "The Journey Optimizer
 * example beyond the guide").
 */
export const EMAIL_CHANNEL_ID = "https://ns.adobe.com/xdm/channels/email";

/** The filter: every event of the email channel. */
export const EMAIL_FILTER = {
  name: "Email channel",
  description: "Events of the Journey Optimizer email channel.",
  /** The guide dimension the rule reads. */
  dimension: "Channel",
} as const;

/** The filtered metric: the sends of the email channel. */
export const EMAIL_SENDS = {
  name: "Email Sends",
  description: "Messages sent by the email channel (Sends, filtered by the Email channel filter).",
  formula: `filter([Sends], "${EMAIL_FILTER.name}")`,
} as const;
