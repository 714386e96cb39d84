import { allocationName, attributionName, contextName, expirationName } from "../../provider/runtime/resources/allocation";

describe("persistence and attribution in every spelling Adobe uses", () => {
  it.each([
    ["allocation-lastTouch_dim", "most-recent"],
    ["ALLOCATION_LAST_TOUCH_DIM", "most-recent"],
    ["ALLOCATION_LAST_TOUCH", "most-recent"],
    ["allocation-firstTouch_dim", "original"],
    ["ALLOCATION_FIRST_TOUCH_DIM", "original"],
    ["ALLOCATION_FIRST_TOUCH", "original"],
    ["allocation-participation_dim", "all"],
    ["ALLOCATION_PARTICIPATION", "all"],
    ["allocation-firstKnown_dim", "first-known"],
    ["allocation-lastKnown_dim", "last-known"],
    ["ALLOCATION_LAST_KNOWN", "last-known"],
  ])("persistence %s is %s", (func, name) => {
    expect(allocationName(func)).toBe(name);
  });

  it("a model no Data View Manager choice names stays as Adobe wrote it, so it shows as drift", () => {
    expect(allocationName("ALLOCATION_LEGACY")).toBe("ALLOCATION_LEGACY");
    expect(attributionName("ALLOCATION_POSITION_BASED")).toBe("ALLOCATION_POSITION_BASED");
  });

  it.each([
    ["allocation-lastTouch", "last-touch"],
    ["ALLOCATION_LAST_TOUCH", "last-touch"],
    ["ALLOCATION_INSTANCE", "same-touch"],
    ["allocation-uShaped", "u-shaped"],
    ["ALLOCATION_U_SHAPED", "u-shaped"],
    ["ALLOCATION_REVERSE_J_SHAPED", "reverse-j"],
    ["allocation-timeDecay", "time-decay"],
  ])("attribution %s is %s", (func, name) => {
    expect(attributionName(func)).toBe(name);
  });

  it("reads the reporting window where the wire puts it (expiration.context) and where the spec does (allocationModel.context)", () => {
    expect(expirationName({ func: "allocation-lastTouch_dim", expiration: { context: "sessions" } })).toBe("session");
    expect(expirationName({ func: "ALLOCATION_FIRST_TOUCH", context: "visitors" })).toBe("person");
    expect(expirationName({ func: "ALLOCATION_FIRST_TOUCH", expiration: { func: "container", context: "sessions" } })).toBe("session");
    expect(contextName("Visits")).toBe("session");
  });

  it("an expiration other than the reporting window is described, never equal to session or person", () => {
    expect(expirationName({ expiration: { func: "allocation-inactivity", numPeriods: 30, granularity: "MINUTE" } })).toBe("after 30 minute(s) of inactivity");
    expect(expirationName({ expiration: { func: "afterEvents", events: ["metrics/orders"] } })).toBe("after the event(s) metrics/orders");
  });
});
