/** examples/audiences-cja through the real `pulumi` CLI against the emulator, `stack init` to `destroy`. */
import { describeStackLife } from "./stack-life";

describeStackLife({
  program: "audiences-cja",
  config: { "audiences-cja:pollIntervalSeconds": "1", "audiences-cja:timeoutSeconds": "120" },
  resources: 12,
  lookups: 5, // the connection and the components
  firstUpWrites: {
    "POST /data/foundation/catalog/dataSets": 1, // step 2: the export dataset on the Profile union schema
    "POST /data/core/ups/export/jobs": 1, // step 3: the export job
    "POST /data/foundation/query/queries": 1, // step 4: the transform into the profile dataset
    "PUT /data/dataviews/copy/:dataViewId": 1, // step 6: the data view, copied from the template
    "PUT /data/dataviews/:dataViewId": 1, // and stamped with its name and ownership key
  },
  dataViews: (outputs) => ({ audiences: outputs.dataViewId as string }),
  drift: { dataView: "audiences", resource: "audience-membership-id-name", componentId: "audienceMembershipIdName" },
  rename: { dataView: "audiences", key: "audiences-cja:dataViewName", value: "Audiences (renamed)" },
  drop: { file: "guide.ts", from: /\s*\{ name: "audienceMembershipIds",[^\n]*\n/, to: "\n", resource: "audience-membership-ids" },
  destroyWrites: { "DELETE /data/dataviews/:dataViewId": 1, "DELETE /data/foundation/catalog/dataSets/:DATASET_ID": 1 },
});
