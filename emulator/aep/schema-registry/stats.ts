/** `GET /stats`: the tenant id of the org, and the sandbox's resource counts and class usage. */
import type { EmuRequest, EmuResponse, EmulatorContext } from "../../types";
import { unionMembers, XDM_CLASSES } from "../xdm";
import { scope } from "./common";

export function stats(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const schemas = Object.values(s.xdm.schemas);
  const classUsage: Record<string, unknown[]> = {};
  for (const schema of schemas) {
    (classUsage[schema["meta:class"]] ??= []).push({ $id: schema.$id, "meta:altId": schema["meta:altId"], title: schema.title, description: schema.description ?? "" });
  }
  const unions = Object.keys(XDM_CLASSES).filter((classId) => unionMembers(s.xdm, classId).length > 0).length;
  return {
    status: 200,
    body: {
      imsOrg: req.org,
      tenantId: s.tenant,
      counts: { schemas: schemas.length, mixins: Object.keys(s.xdm.fieldGroups).length, datatypes: 0, classes: 0, unions },
      recentlyCreatedResources: [],
      recentlyUpdatedResources: [],
      classUsage,
    },
  };
}
