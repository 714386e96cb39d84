/** cja:Filter (Adobe: a segment), managed: a readable definition compiled, validated before every write; drift by refresh. */
import type { TestEmulator } from "../helpers/emulator";
import {
  ajoDimension,
  captureStderr,
  copyOf,
  countOf,
  Engine,
  expectFailure,
  newRun,
  ORG_ADMIN,
  rejectionOf,
  requestLines,
  seedAjo,
  startProvider,
  startResourceEmulator,
  TEMPLATE_DATA_VIEW_ID,
  UNKNOWN,
  untilAnswered,
  writes,
  type Props,
} from "./support";

let emu: TestEmulator;
const filters = new Engine("cja:Filter");
const calculatedMetrics = new Engine("cja:CalculatedMetric");
const DV = TEMPLATE_DATA_VIEW_ID;
const CHANNEL = ajoDimension("Channel").componentId;
const SUBJECT = ajoDimension("Email Subject").componentId;
const OWNER = { __owner: "organization/ajo-cja/dev/cja:Filter/email-channel" };

beforeAll(async () => {
  emu = await startResourceEmulator();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
  await seedAjo(emu);
  startProvider(emu);
  await emu.clearRequests();
});

/** The events of the email channel, the filter teams build on AJO data. */
function emailChannel(overrides: Props = {}): Props {
  return {
    dataViewId: DV,
    name: "Email channel",
    description: "Events of the email channel",
    definition: { context: "event", rules: [{ dimension: CHANNEL, equals: "email" }] },
    ...overrides,
  };
}

const compiledEmail = {
  func: "segment",
  version: [1, 0, 0],
  container: { func: "container", context: "hits", pred: { func: "streq", val: { func: "attr", name: CHANNEL }, str: "email" } },
};

interface LiveSegment {
  id: string;
  name: string;
  description: string;
  dataId: string;
  definition: Props;
}

async function liveFilter(id: string) {
  return emu.call<LiveSegment>("GET", `/segments/${id}`, { query: { expansion: "definition,dataId" } });
}

async function filtersOfDataView(): Promise<LiveSegment[]> {
  const res = await emu.call<{ content: LiveSegment[] }>("GET", "/segments", { query: { dataIds: DV, expansion: "definition,dataId" } });
  expect(res.status).toBe(200);
  return res.body.content;
}

describe("Filter create", () => {
  it("compiles the definition, checks its dimensions are in the data view, validates it with Adobe, then creates one segment", async () => {
    const made = await filters.create(emailChannel());
    const lines = (await requestLines(emu)).filter((l) => !l.includes("/ims/"));

    expect(lines).toEqual(["GET /data/dataviews/:dataviewId/dimensions 200", "POST /segments/validate 200", "POST /segments 200"]);
    expect(made.outs).toMatchObject({ ...emailChannel(), filterId: made.id, adobeDefinition: compiledEmail });
    const live = await liveFilter(made.id);
    expect(live.body).toMatchObject({ name: "Email channel", dataId: DV, definition: compiledEmail });
    expect(live.body.description).toBe(`Events of the email channel\n\n[pulumi:${made.outs.ownershipKey}]`);
    expect((await filtersOfDataView()).map((s) => s.id)).toEqual([made.id]);
  });

  it("a refresh right after create shows no diff, however the same definition is written", async () => {
    const made = await filters.create(emailChannel());
    await emu.clearRequests();

    const refreshed = await filters.refresh(made);

    expect(refreshed!.outs.definition).toEqual(emailChannel().definition);
    expect(await filters.preview(refreshed!, emailChannel())).toMatchObject({ changes: false, replaces: [] });
    const rewritten = { rules: [{ equals: "email", dimension: CHANNEL.replace(/^variables\//, "") }], context: "event" };
    expect(await filters.preview(refreshed!, emailChannel({ definition: rewritten }))).toMatchObject({ changes: false });
    expect(await filters.preview(refreshed!, emailChannel({ definition: { context: "session", rules: [{ dimension: CHANNEL, equals: "email" }] } }))).toMatchObject({ changes: true, replaces: [] });
    expect(await requestLines(emu)).toEqual(["GET /segments 200"]); // the data view's filters, one list
  });

  it("a definition naming a dimension or metric the data view lacks is refused in check, naming them, before any write", async () => {
    const definition = { context: "person", rules: [{ dimension: "variables/web.page.name", equals: "Home" }, { metric: "metrics/orders", gt: 0 }, { dimension: CHANNEL, exists: true }] };
    const result = await filters.check(emailChannel({ definition }));

    expectFailure(result.failures, "definition", new RegExp(`^definition: data view ${DV} has no variables/web\\.page\\.name, metrics/orders; each dimension`));
    expect(await writes(emu)).toEqual([]);
    expect(await filtersOfDataView()).toEqual([]);
  });

  it("a definition Adobe's validator refuses stops the create with Adobe's message; nothing is written", async () => {
    const inputs = await filters.checked(emailChannel());
    // Between check and up, someone removes the dimension from the data view in the Data View Manager.
    await emu.admin("DELETE", `${ORG_ADMIN}/dataviews/${DV}/dimensions/${encodeURIComponent(CHANNEL)}`);
    await emu.clearRequests();

    const error = await rejectionOf(() => filters.handler.create(inputs));

    expect(error.message).toContain(`Filter Email channel: Adobe's POST /segments/validate refused the definition: Invalid definition: definition.container.pred.val.name ${CHANNEL} is not a component of data view ${DV}`);
    expect(await writes(emu)).toEqual([]);
    expect(await filtersOfDataView()).toEqual([]);
  });
});

describe("Filter check", () => {
  const cases: Array<[string, Props, string, RegExp]> = [
    ["no definition", emailChannel({ definition: undefined }), "definition", /^definition: is required/],
    ["a definition that is not a container", emailChannel({ definition: "channel = email" }), "definition", /^definition: must be a container/],
    ["an unknown container", emailChannel({ definition: { context: "hit", rules: [{ dimension: CHANNEL, equals: "email" }] } }), "definition", /^definition\.context: must be "event", "session" or "person"/],
    ["no rules", emailChannel({ definition: { context: "event", rules: [] } }), "definition", /^definition\.rules: must be a list of at least one rule/],
    ["a rule with two operators", emailChannel({ definition: { context: "event", rules: [{ dimension: CHANNEL, equals: "email", contains: "mail" }] } }), "definition", /^definition\.rules\[0\]: must have exactly one operator \(found equals, contains\)/],
    ["a misspelt operator", emailChannel({ definition: { context: "event", rules: [{ dimension: CHANNEL, equal: "email" }] } }), "definition", /^definition\.rules\[0\]\.equal: is no operator/],
    ["a number for a text operator", emailChannel({ definition: { context: "event", rules: [{ or: [{ dimension: CHANNEL, equals: 1 }] }] } }), "definition", /^definition\.rules\[0\]\.or\[0\]\.equals: must be a string, not 1/],
    ["an empty dimension", emailChannel({ definition: { context: "event", rules: [{ dimension: "", exists: true }] } }), "definition", /^definition\.rules\[0\]\.dimension: must be a component id/],
    ["no dataViewId", { name: "Email channel", definition: emailChannel().definition }, "dataViewId", /dataViewId/],
    ["a malformed dataViewId", emailChannel({ dataViewId: "dataview-1" }), "dataViewId", /^dataViewId: /],
    ["an empty name", emailChannel({ name: " " }), "name", /^name: must not be empty/],
    ["a name of 256 characters", emailChannel({ name: "x".repeat(256) }), "name", /^name: must be at most 255 characters/],
    ["an input that does not exist", emailChannel({ segmentDefinition: {} }), "segmentDefinition", /is not an input of cja:Filter/],
  ];

  it.each(cases)("rejects %s, naming the field, and sends nothing to Adobe", async (_what, inputs, property, reason) => {
    const result = await filters.check(inputs);

    expectFailure(result.failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });

  it("a data view that does not exist is named in check", async () => {
    const result = await filters.check(emailChannel({ dataViewId: "dv_doesnotexist000000000000" }));
    expectFailure(result.failures, "dataViewId", /^dataViewId: no data view dv_doesnotexist000000000000 in IMS org/);
    expect(await writes(emu)).toEqual([]);
  });
});

describe("Filter preview with unknown values", () => {
  it.each<[string, Props]>([
    ["an unknown dataViewId", emailChannel({ dataViewId: UNKNOWN })],
    ["an unknown dimension (a Dimension resource not yet read)", emailChannel({ dataViewId: UNKNOWN, definition: { context: "event", rules: [{ dimension: UNKNOWN, equals: "email" }] } })],
    ["an unknown definition", emailChannel({ dataViewId: UNKNOWN, definition: UNKNOWN })],
    ["unknown rules", emailChannel({ dataViewId: UNKNOWN, definition: { context: "event", rules: UNKNOWN } })],
  ])("check accepts %s and sends nothing", async (_what, inputs) => {
    const result = await filters.check(inputs);
    expect(result.failures ?? []).toEqual([]);
    expect(await requestLines(emu)).toEqual([]);
  });

  it("an unknown dimension of a known data view is not looked for; the known ones are", async () => {
    const result = await filters.check(emailChannel({ definition: { context: "event", rules: [{ dimension: UNKNOWN, equals: "x" }, { dimension: "variables/missing", exists: true }] } }));
    expectFailure(result.failures, "definition", /has no variables\/missing;/);
  });

  it("a problem beside an unknown value is still named", async () => {
    const result = await filters.check(emailChannel({ dataViewId: UNKNOWN, definition: { context: "evnt", rules: UNKNOWN } }));
    expectFailure(result.failures, "definition", /^definition\.context: /);
  });

  it("diff with an unknown input reports a change", async () => {
    const made = await filters.create(emailChannel());
    expect(await filters.preview(made, emailChannel({ definition: { context: "event", rules: [{ dimension: UNKNOWN, equals: "email" }] } }))).toMatchObject({ changes: true, replaces: [] });
    expect(await filters.preview(made, emailChannel({ dataViewId: UNKNOWN }))).toMatchObject({ changes: true, replaces: ["dataViewId"] });
  });
});

describe("Filter update", () => {
  it("changes name, description and definition in place after validating; Adobe then has what was declared", async () => {
    const made = await filters.create(emailChannel());
    const changed = emailChannel({
      name: "Email or push, no test sends",
      description: "Email and push events",
      definition: { context: "person", exclude: false, rules: [{ dimension: CHANNEL, equalsAnyOf: ["email", "push"] }, { not: { dimension: SUBJECT, startsWith: "[TEST]" } }] },
    });

    expect(await filters.preview(made, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await emu.clearRequests();
    const updated = await filters.update(made, changed);

    expect(await writes(emu)).toEqual(["PUT /segments/:id 200"]);
    expect(await countOf(emu, "POST", "/segments/validate")).toBe(1);
    const live = (await liveFilter(made.id)).body;
    expect(live).toMatchObject({ name: "Email or push, no test sends", description: `Email and push events\n\n[pulumi:${made.outs.ownershipKey}]`, dataId: DV });
    expect(live.definition).toEqual({
      func: "segment",
      version: [1, 0, 0],
      container: {
        func: "container",
        context: "visitors",
        pred: {
          func: "and",
          preds: [
            { func: "streq-in", val: { func: "attr", name: CHANNEL }, list: ["email", "push"] },
            { func: "without", pred: { func: "starts-with", val: { func: "attr", name: SUBJECT }, str: "[TEST]" } },
          ],
        },
      },
    });
    expect(updated.outs.adobeDefinition).toEqual(live.definition);
    expect(await filters.preview((await filters.refresh(updated))!, changed)).toMatchObject({ changes: false });
    expect((await filtersOfDataView()).map((s) => s.id)).toEqual([made.id]);
  });

  it("another data view replaces the filter", async () => {
    const made = await filters.create(emailChannel());
    expect(await filters.preview(made, emailChannel({ dataViewId: await copyOf(emu, DV) }))).toMatchObject({ changes: true, replaces: ["dataViewId"], deleteBeforeReplace: true });
  });
});

describe("Filter drift", () => {
  it("a filter edited in the Filter builder reads back as the readable definition, shows as a diff, and up puts the declared one back", async () => {
    const made = await filters.create(emailChannel());
    const edited = { func: "segment", version: [1, 0, 0], container: { func: "container", context: "visits", pred: { func: "contains", description: "Channel", val: { func: "attr", name: CHANNEL }, str: "mail" } } };
    expect((await emu.call("PUT", `/segments/${made.id}`, { body: { name: "Email (edited)", definition: edited } })).status).toBe(200);

    const refreshed = await filters.refresh(made);
    expect(refreshed!.outs).toMatchObject({ name: "Email (edited)", definition: { context: "session", rules: [{ dimension: CHANNEL, contains: "mail" }] }, adobeDefinition: edited });
    expect(await filters.preview(refreshed!, emailChannel())).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    await emu.clearRequests();
    await filters.update(refreshed!, emailChannel());
    expect(await writes(emu)).toEqual(["PUT /segments/:id 200"]);
    const live = (await liveFilter(made.id)).body;
    expect(live.name).toBe("Email channel");
    expect(live.definition).toEqual(compiledEmail);
  });

  it("a UI label added to the same definition is no drift", async () => {
    const made = await filters.create(emailChannel());
    const labelled = { ...compiledEmail, container: { ...compiledEmail.container, description: "AUTO_GENERATED", pred: { ...compiledEmail.container.pred, description: "Channel" } } };
    await emu.call("PUT", `/segments/${made.id}`, { body: { definition: labelled } });

    const refreshed = await filters.refresh(made);
    expect(refreshed!.outs.definition).toEqual(emailChannel().definition);
    expect(await filters.preview(refreshed!, emailChannel())).toMatchObject({ changes: false });
  });

  it("a sequence built in the UI reads as the same note on every refresh", async () => {
    const made = await filters.create(emailChannel());
    const hit = (str: string) => ({ func: "container", context: "hits", pred: { func: "streq", val: { func: "attr", name: CHANNEL }, str } });
    const sequence = { func: "segment", version: [1, 0, 0], container: { func: "container", context: "visitors", pred: { func: "sequence", stream: [hit("email"), hit("push")] } } };
    expect((await emu.call("PUT", `/segments/${made.id}`, { body: { definition: sequence } })).status).toBe(200);

    const once = await filters.refresh(made);
    const twice = await filters.refresh(once!);
    expect(once!.outs.definition).toBe("(Adobe's definition has no readable form: definition.container.pred: uses sequence, which a filter's readable definition cannot write (edit it in the Filter builder, or write it anew))");
    expect(twice!.outs.definition).toBe(once!.outs.definition);
    expect(await filters.preview(twice!, emailChannel())).toMatchObject({ changes: true });
  });

  it("a description changed in the UI shows, without the key", async () => {
    const made = await filters.create(emailChannel());
    await emu.call("PUT", `/segments/${made.id}`, { body: { description: `Edited\n\n[pulumi:${made.outs.ownershipKey}]` } });
    const refreshed = await filters.refresh(made);
    expect(refreshed!.outs.description).toBe("Edited");
    expect(await filters.preview(refreshed!, emailChannel())).toMatchObject({ changes: true });
  });
});

describe("Filter delete", () => {
  it("deletes the segment; a refresh then finds it gone and deleting it again succeeds", async () => {
    const made = await filters.create(emailChannel());

    await filters.destroy(made);

    expect((await liveFilter(made.id)).status).toBe(404);
    expect(await filters.refresh(made)).toBeUndefined();
    await expect(filters.destroy(made)).resolves.toBeUndefined();
    expect((await requestLines(emu)).filter((l) => l.startsWith("DELETE"))).toEqual(["DELETE /segments/:id 200", "DELETE /segments/:id 404"]);
    expect(await filtersOfDataView()).toEqual([]);
  });

  it('a filter deleted in the UI reads as gone (id "")', async () => {
    const made = await filters.create(emailChannel());
    expect((await emu.call("DELETE", `/segments/${made.id}`)).status).toBe(200);
    expect(await filters.handler.read(made.id, made.outs)).toEqual({ id: "" });
  });
});

describe("Filter idempotent create", () => {
  it("a POST dropped before Adobe acted is repeated after the lookup finds nothing: one segment", async () => {
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/segments" }, times: 1, action: { drop: true } }] });

    const made = await filters.create(emailChannel());
    const lines = await requestLines(emu);

    expect((await filtersOfDataView()).map((s) => s.id)).toEqual([made.id]);
    expect(lines.filter((l) => l.includes(" /segments "))).toEqual(["POST /segments 0", "GET /segments 200", "POST /segments 200"]);
  });

  it("a POST Adobe carried out but whose answer was lost is not repeated: the lookup finds the segment by its key", async () => {
    startProvider(emu, { "adobe:requestTimeoutMs": "400" });
    await emu.setFaults({
      script: [
        { match: { method: "POST", route: "/segments" }, times: 1, action: { delayMs: 600 } },
        { match: { method: "GET", route: "/segments" }, times: 1, action: { delayMs: 700 } },
      ],
    });

    const made = await filters.create(emailChannel());
    await untilAnswered(emu, "GET", "/segments", 2);

    expect((await requestLines(emu)).filter((l) => l.includes(" /segments "))).toEqual(["POST /segments 200", "GET /segments 200", "GET /segments 200"]);
    expect((await filtersOfDataView()).map((s) => s.id)).toEqual([made.id]);
  });
});

describe("Filter ownership key: a create run again after a crash adopts instead of duplicating", () => {
  it("a segment made by a run whose state was lost is found by its key and given the declared definition: no second POST", async () => {
    const first = await filters.create(emailChannel(OWNER));
    startProvider(emu);
    await emu.clearRequests();

    const again = await filters.create(emailChannel({ ...OWNER, definition: { context: "event", rules: [{ dimension: CHANNEL, equals: "push" }] } }));

    expect(again.id).toBe(first.id);
    expect(again.outs.ownershipKey).toBe(first.outs.ownershipKey);
    expect(await writes(emu)).toEqual(["PUT /segments/:id 200"]);
    const live = await filtersOfDataView();
    expect(live.map((s) => s.id)).toEqual([first.id]);
    expect(live[0].definition).toEqual(again.outs.adobeDefinition);
  });

  it("another segment of the same name is never adopted: only the key counts", async () => {
    const someone = await emu.call<{ id: string }>("POST", "/segments", { body: { name: "Email channel", dataId: DV, description: "Events of the email channel", definition: compiledEmail } });
    await emu.clearRequests();

    const own = await filters.create(emailChannel(OWNER));

    expect(own.id).not.toBe(someone.body.id);
    expect(await writes(emu)).toEqual(["POST /segments 200"]);
    expect((await filtersOfDataView()).length).toBe(2);
  });

  it("two segments carrying the key are not chosen between: the error names both, nothing is written", async () => {
    const first = await filters.create(emailChannel(OWNER));
    const twin = await emu.call<{ id: string }>("POST", "/segments", { body: { name: "Email channel", dataId: DV, description: `[pulumi:${first.outs.ownershipKey}]`, definition: compiledEmail } });
    expect(twin.status).toBe(200);
    startProvider(emu);
    await emu.clearRequests();

    const error = await rejectionOf(() => filters.create(emailChannel(OWNER)));

    expect(error.message).toContain(`2 filters of data view ${DV} carry this resource's ownership key ${first.outs.ownershipKey} (`);
    expect(error.message).toContain(first.id);
    expect(error.message).toContain(twin.body.id);
    expect(await writes(emu)).toEqual([]);
  });
});

describe("Filter adoption in place (adoptId)", () => {
  let uiId: string;
  const adopting = (overrides: Props = {}) => emailChannel({ name: "Email", description: "Made in the Filter builder", adoptId: uiId, ...overrides });

  beforeEach(async () => {
    const made = await emu.call<{ id: string }>("POST", "/segments", {
      body: { name: "Mail", description: "Made in the Filter builder", dataId: DV, definition: { ...compiledEmail, container: { ...compiledEmail.container, pred: { ...compiledEmail.container.pred, func: "contains", str: "mail" } } } },
    });
    uiId = made.body.id;
    await emu.clearRequests();
  });

  it("the preview lists what adopting changes; up keeps the id and writes the declared definition; a refresh then shows no change", async () => {
    const { result: checked, stderr } = await captureStderr(() => filters.check(adopting()));
    expect(checked.failures ?? []).toEqual([]);
    expect(stderr).toContain(`Filter Email: adopting ${uiId} ("Mail") changes name: "Mail" → "Email"; definition: `);
    expect(stderr).toContain(`"contains":"mail"`);
    expect(await writes(emu)).toEqual([]);

    const adopted = await filters.create(adopting());
    expect(adopted.id).toBe(uiId);
    expect(await writes(emu)).toEqual(["PUT /segments/:id 200"]);
    expect((await liveFilter(uiId)).body).toMatchObject({ name: "Email", description: "Made in the Filter builder", definition: compiledEmail });
    const refreshed = await filters.refresh(adopted);
    expect(await filters.preview(refreshed!, adopting())).toMatchObject({ changes: false });
  });

  it("destroy releases it and keeps it in Adobe; deleteOnDestroy: true deletes it", async () => {
    const adopted = await filters.create(adopting());
    await captureStderr(() => filters.destroy(adopted));
    expect((await liveFilter(uiId)).status).toBe(200);
    const deleting = await filters.create(adopting({ deleteOnDestroy: true }));
    await filters.destroy(deleting);
    expect((await liveFilter(uiId)).status).toBe(404);
  });

  it("check refuses a filter that does not exist, and one of another data view, naming adoptId, and writes nothing", async () => {
    expectFailure((await filters.check(adopting({ adoptId: "s300000000_missing" }))).failures, "adoptId", /^adoptId: filter s300000000_missing does not exist/);
    const other = await copyOf(emu, DV);
    await emu.clearRequests();
    expectFailure((await filters.check(adopting({ dataViewId: other }))).failures, "adoptId", new RegExp(`^adoptId: filter ${uiId} \\("Mail"\\) belongs to data view ${DV}, not to the declared dataViewId ${other}`));
    expect(await writes(emu)).toEqual([]);
  });
});

describe("A calculated metric filtered by a Filter", () => {
  it("takes the filter's id in filters: Adobe validates the definition, and it reads back without drift", async () => {
    const email = await filters.create(emailChannel());
    const inputs = {
      dataViewId: DV,
      name: "Email sends",
      formula: 'filter([Sends], "Email")',
      metrics: { Sends: "metrics/sends" },
      filters: { Email: email.id },
    };

    const metric = await calculatedMetrics.create(inputs);

    expect(metric.outs.definition).toEqual({ func: "calc-metric", formula: { func: "calc-metric", formula: { func: "metric", name: "metrics/sends" }, version: [1, 0, 0], filters: [{ func: "segment-ref", id: email.id }] }, version: [1, 0, 0] });
    const refreshed = await calculatedMetrics.refresh(metric);
    expect(refreshed!.outs.formula).toBe('filter([Sends], "Email")');
    expect(await calculatedMetrics.preview(refreshed!, inputs)).toMatchObject({ changes: false });
  });
});

describe("Filter shares and tags", () => {
  const GROUP = { type: "group", id: "587421569" };
  const ANALYST = { type: "user", id: "A1B2C3D4E5F6@AdobeID" };
  const shared = (overrides: Props = {}) => emailChannel({ shares: [GROUP, ANALYST], tags: ["journey-optimizer", "email"], ...overrides });

  async function sharesOf(id: string) {
    const res = await emu.call<{ content: Array<{ shares: Array<{ shareToType: string; shareToImsId?: string }> }> }>("POST", "/componentmetadata/shares/component/search", { body: { componentType: "segment", componentIds: [id] } });
    return res.body.content[0].shares.map((s) => `${s.shareToType}:${s.shareToImsId ?? ""}`).sort();
  }
  async function tagsOf(id: string) {
    const res = await emu.call<Array<{ name: string }>>("GET", "/componentmetadata/tags/search", { query: { componentId: id, componentType: "segment" } });
    return res.body.map((t) => t.name).sort();
  }

  it("are written after the create; a refresh reads them back with no diff, whatever their order", async () => {
    const made = await filters.create(shared());

    expect(await writes(emu)).toEqual(["POST /segments 200", "PUT /componentmetadata/shares 200", "PUT /componentmetadata/tags/tagitems 200"]);
    expect(await sharesOf(made.id)).toEqual(["group:587421569", "user:A1B2C3D4E5F6@AdobeID"]);
    expect(await tagsOf(made.id)).toEqual(["email", "journey-optimizer"]);
    const refreshed = await filters.refresh(made);
    // Adobe holds what was declared: the state keeps the lists as the program wrote them.
    expect(refreshed!.outs).toMatchObject({ shares: [GROUP, ANALYST], tags: ["journey-optimizer", "email"] });
    expect(await filters.preview(refreshed!, shared({ shares: [ANALYST, GROUP], tags: ["email", "journey-optimizer"] }))).toMatchObject({ changes: false });
  });

  it("a refresh reads them in the filter's own answer (`expansion=shares,tags`): no request of their own", async () => {
    const made = await filters.create(shared());
    newRun();
    await emu.clearRequests();

    const refreshed = await filters.refresh(made);

    expect(refreshed!.outs).toMatchObject({ shares: [GROUP, ANALYST], tags: ["journey-optimizer", "email"] });
    expect(await requestLines(emu)).toEqual(["GET /segments 200"]); // the data view's filters, one list
  });

  it("a share removed in the UI shows as a diff; up writes the declared shares only, not the filter", async () => {
    const made = await filters.create(shared());
    await emu.call("PUT", "/componentmetadata/shares", { body: [{ componentType: "segment", componentId: made.id, shares: [{ shareToType: "group", shareToImsId: "587421569" }] }] });

    const refreshed = await filters.refresh(made);
    expect(refreshed!.outs.shares).toEqual([GROUP]);
    expect(await filters.preview(refreshed!, shared())).toMatchObject({ changes: true, replaces: [] });
    await emu.clearRequests();
    await filters.update(refreshed!, shared());

    expect(await writes(emu)).toEqual(["PUT /componentmetadata/shares 200"]);
    expect(await sharesOf(made.id)).toEqual(["group:587421569", "user:A1B2C3D4E5F6@AdobeID"]);
  });

  it("left out, they are neither written nor read; an empty list removes them all", async () => {
    const made = await filters.create(emailChannel());
    expect((await requestLines(emu)).filter((l) => l.includes("/componentmetadata/"))).toEqual([]);
    await emu.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "segment", componentId: made.id, tags: [{ name: "from-the-ui" }] }] });
    await emu.clearRequests();
    const refreshed = await filters.refresh(made);
    expect(refreshed!.outs.tags).toBeUndefined();
    expect((await requestLines(emu)).filter((l) => l.includes("/componentmetadata/"))).toEqual([]);

    await filters.update(refreshed!, emailChannel({ tags: [] }));
    expect(await tagsOf(made.id)).toEqual([]);
  });

  it("a rerun after a run killed before the shares were written adopts the filter by its key and writes them", async () => {
    await emu.setFaults({ script: [{ match: { method: "PUT", route: "/componentmetadata/shares" }, times: 1, action: { status: 503 } }] });
    startProvider(emu, { "adobe:maxRetries": "0" });
    const first = await rejectionOf(() => filters.create(shared(OWNER)));
    expect(first.message).toContain("503");
    startProvider(emu);

    const again = await filters.create(shared(OWNER));

    expect((await filtersOfDataView()).map((s) => s.id)).toEqual([again.id]);
    expect(await sharesOf(again.id)).toEqual(["group:587421569", "user:A1B2C3D4E5F6@AdobeID"]);
  });

  it.each<[string, Props, string, RegExp]>([
    ["a share of all with an id", { shares: [{ type: "all", id: "x" }] }, "shares", /^shares\[0\]\.id: a share with "all" names no id/],
    ["a user share without an id", { shares: [{ type: "user" }] }, "shares", /^shares\[0\]\.id: a user share needs the user's id/],
    ["an unknown share type", { shares: [{ type: "team", id: "1" }] }, "shares", /^shares\[0\]\.type: must be "user", "group" or "all"/],
    ["the same share twice", { shares: [GROUP, { ...GROUP }] }, "shares", /^shares\[1\]: shares group:587421569 twice/],
    ["an empty tag", { tags: ["email", " "] }, "tags", /^tags\[1\]: must not be empty/],
    ["the same tag twice", { tags: ["email", "email"] }, "tags", /^tags\[1\]: names the tag "email" twice/],
  ])("check rejects %s, naming the field, and sends nothing", async (_what, overrides, property, reason) => {
    const result = await filters.check(emailChannel(overrides));
    expectFailure(result.failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("Filter adoption with shares and tags", () => {
  it("the preview lists the shares and tags adopting changes; up writes them", async () => {
    const ui = await emu.call<{ id: string }>("POST", "/segments", { body: { name: "Email channel", description: "Events of the email channel", dataId: DV, definition: compiledEmail } });
    await emu.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "segment", componentId: ui.body.id, tags: [{ name: "ui" }] }] });
    const adopting = emailChannel({ adoptId: ui.body.id, shares: [{ type: "all" }], tags: ["journey-optimizer"] });
    await emu.clearRequests();

    const { result, stderr } = await captureStderr(() => filters.check(adopting));
    expect(result.failures ?? []).toEqual([]);
    expect(stderr).toContain(`Filter Email channel: adopting ${ui.body.id} ("Email channel") changes shares: [] → [{"type":"all"}]; tags: ["ui"] → ["journey-optimizer"].`);
    // The search is a read (a POST with the components in its body): nothing was written.
    const written = async () => (await writes(emu)).filter((line) => !line.includes("/component/search "));
    expect(await written()).toEqual([]);

    await emu.clearRequests();
    await filters.create(adopting);
    expect(await written()).toEqual(["PUT /componentmetadata/shares 200", "PUT /componentmetadata/tags/tagitems 200"]);
  });
});

describe("Filter requests per run", () => {
  it("a refresh of several filters reads them with one list by id; one deleted in Adobe is read by id, answers 404 and is gone", async () => {
    const made = [];
    for (const name of ["One", "Two", "Three"]) made.push(await filters.create(emailChannel({ name })));
    newRun();
    await emu.clearRequests();

    const refreshed = await Promise.all(made.map((f) => filters.refresh(f)));

    expect(refreshed.map((r) => r?.outs.name)).toEqual(["One", "Two", "Three"]);
    expect(await requestLines(emu)).toEqual(["GET /segments 200"]);

    expect((await emu.call("DELETE", `/segments/${made[0].id}`)).status).toBe(200);
    newRun();
    await emu.clearRequests();
    const again = await Promise.all(made.map((f) => filters.refresh(f)));

    expect(again.map((r) => r?.outs.name)).toEqual([undefined, "Two", "Three"]);
    expect(await requestLines(emu)).toEqual(["GET /segments 200", "GET /segments/:id 404"]);
  });

  it("read one after the other (an engine that reads one resource at a time), the data view's filters are still one list", async () => {
    const made = [];
    for (const name of ["One", "Two", "Three"]) made.push(await filters.create(emailChannel({ name })));
    newRun();
    await emu.clearRequests();

    for (const f of made) expect((await filters.refresh(f))?.outs.name).toBe(f.outs.name);

    expect(await requestLines(emu)).toEqual(["GET /segments 200"]);
  });

  it("several filters made in one run look for their ownership keys in one list of the data view's filters", async () => {
    newRun();
    await emu.clearRequests();

    await Promise.all(["one", "two", "three"].map((name) => filters.create(emailChannel({ name: `Filter ${name}`, __owner: `organization/ajo-cja/dev/cja:Filter/${name}` }))));

    const lines = await requestLines(emu);
    expect(lines.filter((l) => l.startsWith("GET /segments "))).toEqual(["GET /segments 200"]);
    expect(lines.filter((l) => l === "POST /segments/validate 200")).toHaveLength(3);
    expect(lines.filter((l) => l === "POST /segments 200")).toHaveLength(3);
  });
});
