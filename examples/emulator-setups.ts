/**
 * What the Adobe UI would leave for each example, played on the emulator: `npm run emulator --
 * --setup <name>` runs one at start. Each returns what it made and how to point the example's
 * stack at it.
 */
import { setUpAjoInEmulator } from "./ajo-cja/ui-setup";
import { setUpAudiencesExample } from "./audiences-cja/emulator-setup";

export interface EmulatorSetup {
  /** One line for the CLI's help. */
  description: string;
  /** Sets the emulator at `emulatorUrl` up for org `orgId`; returns text for the operator. */
  run(emulatorUrl: string, orgId: string): Promise<string>;
}

export const EMULATOR_SETUPS: Readonly<Record<string, EmulatorSetup>> = {
  "ajo-cja": {
    description: "examples/ajo-cja: the AJO connection (5 datasets) and a template data view (13 dimensions, 9 metrics)",
    async run(emulatorUrl, orgId) {
      const ui = await setUpAjoInEmulator(emulatorUrl, orgId);
      return [
        `Set up "ajo-cja" for ${orgId}, as the Adobe UI would leave it:`,
        `  connection "${ui.connectionName}" (${ui.connectionId}) with ${Object.keys(ui.datasetIds).length} AJO datasets`,
        `  template data view "${ui.templateDataViewName}" (${ui.templateDataViewId}) with the guide's dimensions and metrics`,
        "Point the example stack (examples/ajo-cja) at it:",
        `  pulumi config set ajo-cja:connectionName '${ui.connectionName}'`,
        `  pulumi config set ajo-cja:templateDataViewId ${ui.templateDataViewId}`,
        "  pulumi config set ajo-cja:dataViewName 'AJO reporting (emulator)'",
        `  pulumi config set ajo-cja:shareWithGroupId ${ui.analystGroupId}`,
      ].join("\n");
    },
  },
  "audiences-cja": {
    description: "examples/audiences-cja: sample audiences and profiles, the profile dataset, the connection with it, and a template data view with the audience dimensions",
    async run(emulatorUrl, orgId) {
      return (await setUpAudiencesExample(emulatorUrl, orgId)).text;
    },
  },
};
