import { FieldGroup } from "pulumi-adobe-cja";

// The same field group in two sandboxes: the stack's own (adobe:sandbox) and the one of the
// `development` profile (pulumi config set --path 'adobe:profiles.development.sandbox' dev).
const fields = { loyaltyTier: { type: "string" as const, title: "Loyalty tier" } };

const production = new FieldGroup("loyalty", { title: "Loyalty fields", fields });
const development = new FieldGroup("loyalty-development", { title: "Loyalty fields", fields, profile: "development" });

export const productionFieldGroupId = production.fieldGroupId;
export const developmentFieldGroupId = development.fieldGroupId;
export const developmentProfile = development.profile;
