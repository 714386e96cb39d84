/** The root Pulumi project (deploy/: both integrations for one environment) through the real `pulumi` CLI against the emulator. */
import { describeStackLife } from "./stack-life";

type Props = Record<string, unknown>;

describeStackLife({
  program: "root",
  config: { "audiences-cja:pollIntervalSeconds": "1", "audiences-cja:timeoutSeconds": "120" },
  resources: 40,
  lookups: 28, // the connections and the components
  firstUpWrites: {
    "PUT /data/dataviews/copy/:dataViewId": 2, // both data views, copied from their templates
    "PUT /data/dataviews/:dataViewId": 2, // and stamped
    "POST /calculatedmetrics/validate": 3, // the AJO guide's calculated metrics and Email Sends
    "POST /calculatedmetrics": 3,
    "POST /segments/validate": 1, // the AJO example's Email channel filter
    "POST /segments": 1,
    "PUT /componentmetadata/shares": 4, // those four, shared with the group of ajo-cja:shareWithGroupId
    "POST /data/foundation/catalog/dataSets": 1, // the audiences export dataset
    "POST /data/core/ups/export/jobs": 1, // the export job
    "POST /data/foundation/query/queries": 1, // the transform
  },
  dataViews: (outputs) => ({ ajo: (outputs.ajoCja as Props).dataViewId as string, audiences: (outputs.audiencesCja as Props).dataViewId as string }),
  drift: { dataView: "ajo", resource: "channel", componentId: "_experience.customerJourneyManagement.entities.channelDetails.channel._id" },
  rename: { dataView: "audiences", key: "audiences-cja:dataViewName", value: "Audiences (renamed)" },
  drop: { file: "examples/audiences-cja/guide.ts", from: /\s*\{ name: "audienceMembershipIds",[^\n]*\n/, to: "\n", resource: "audience-membership-ids" },
  destroyWrites: { "DELETE /data/dataviews/:dataViewId": 2, "DELETE /calculatedmetrics/:id": 3, "DELETE /segments/:id": 1, "DELETE /data/foundation/catalog/dataSets/:DATASET_ID": 1 },
});
