/**
 * This example on the local emulator: the Adobe UI's part (`ui-setup.ts`) and the stack config
 * that points the program at what it made. Used by `npm run example -- audiences-cja`,
 * `npm run emulator -- --setup audiences-cja` and the example's test.
 */
import { setUpAudiencesInEmulator, type AudiencesUiSetup } from "./ui-setup";

/** The audiences a run against the emulator brings into CJA (three of the four sample audiences). */
export const EMULATOR_AUDIENCES = ["Luma - Blue+ Members", "Luma - Gold Members", "Cart Abandoners"];

/**
 * The stack config (`audiences-cja:*`) for the objects the set-up made. The emulator finishes
 * export jobs and queries in seconds, so the stack looks every second instead of every 15.
 */
export function emulatorStackConfig(ui: AudiencesUiSetup): Record<string, string> {
  return {
    "audiences-cja:createProfileDataset": String(ui.profileDataset === "stack"),
    "audiences-cja:membershipLayout": ui.layout,
    "audiences-cja:audienceNames": JSON.stringify(EMULATOR_AUDIENCES),
    "audiences-cja:exportDatasetName": "Segment Export Job Dataset for CJA (emulator)",
    "audiences-cja:personIdField": ui.personIdField,
    "audiences-cja:profileDatasetName": ui.profileDatasetName,
    "audiences-cja:connectionName": ui.connectionName,
    "audiences-cja:templateDataViewId": ui.templateDataViewId,
    "audiences-cja:dataViewName": "Audiences (emulator)",
    "audiences-cja:pollIntervalSeconds": "1",
    "audiences-cja:timeoutSeconds": "120",
  };
}

/** What the set-up made, as lines for the operator. */
export function describeSetup(ui: AudiencesUiSetup): string[] {
  return [
    `  ${ui.audiences.length} audiences and their profiles in sandbox "${ui.sandbox}": ${ui.audiences.map((a) => `"${a.name}"`).join(", ")}`,
    ui.profileDatasetId
      ? `  profile dataset "${ui.profileDatasetName}" (${ui.profileDatasetId}) on the audience-membership schema, fields under ${ui.tenantNamespace} (made in the Schemas UI)`
      : `  no profile dataset yet: the stack makes it, then add it to the connection (Step 5)`,
    `  connection "${ui.connectionName}" (${ui.connectionId})${ui.profileDatasetId ? " with the profile dataset (Person ID personID)" : ""}`,
    `  template data view (${ui.templateDataViewId}) with the audience dimensions (${ui.layout} layout)`,
  ];
}

/** Plays the Adobe UI on the emulator at `emulatorUrl` and says how to point the stack at it. */
export async function setUpAudiencesExample(emulatorUrl: string, orgId: string): Promise<{ ui: AudiencesUiSetup; config: Record<string, string>; text: string }> {
  const ui = await setUpAudiencesInEmulator(emulatorUrl, orgId);
  const config = emulatorStackConfig(ui);
  const quote = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;
  const text = [
    `Set up "audiences-cja" for ${orgId}, as Adobe and its UI would leave it:`,
    ...describeSetup(ui),
    "Point the example stack (examples/audiences-cja) at it:",
    ...EMULATOR_AUDIENCES.map((name, i) => `  pulumi config set --path 'audiences-cja:audienceNames[${i}]' ${quote(name)}`),
    ...Object.entries(config)
      .filter(([key]) => !key.endsWith(":audienceNames"))
      .map(([key, value]) => `  pulumi config set ${key} ${quote(value)}`),
  ].join("\n");
  return { ui, config, text };
}
