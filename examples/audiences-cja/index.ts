/**
 * Pulumi program: Adobe Experience Platform audiences in Customer Journey Analytics, as Adobe's
 * guide sets it up. See README.md for what it makes and what to do first in the Adobe UI.
 */
import { audiencesCjaStack } from "./stack";

const stack = audiencesCjaStack();

/** The exported audiences' ids (the names of `audienceNames`, resolved). */
export const audienceIds = stack.outputs.audienceIds;
/** The Profile union dataset the export job wrote to. */
export const exportDatasetId = stack.outputs.exportDatasetId;
/** The export job that ran. */
export const exportJobId = stack.outputs.exportJobId;
/** How many profiles it exported. */
export const exportedProfiles = stack.outputs.exportedProfiles;
/** This run's export batch: the only one the transform reads. */
export const exportBatchId = stack.outputs.exportBatchId;
/** The audience-membership schema (`$id`). */
export const profileSchemaId = stack.outputs.profileSchemaId;
/** `_<tenantId>`: where the audience fields live in each record. */
export const tenantNamespace = stack.outputs.tenantNamespace;
/** The profile dataset the transform wrote to. */
export const profileDatasetId = stack.outputs.profileDatasetId;
/** Rows this run wrote: one per person with memberships, or who just lost them. */
export const profileRows = stack.outputs.profileRows;
/** The Query Service query that wrote it. */
export const transformQueryId = stack.outputs.transformQueryId;
/** The verified connection (`dg_...`). */
export const connectionId = stack.outputs.connectionId;
/** The data view the stack made (`dv_...`). */
export const dataViewId = stack.outputs.dataViewId;
/** Component id of each audience dimension, by name. */
export const dimensionIds = stack.outputs.dimensionIds;
