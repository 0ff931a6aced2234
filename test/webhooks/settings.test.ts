/**
 * Settings → Webhooks as an admin, a member and another workspace see it: who may manage endpoints, which
 * URLs are refused (in production, no http, localhost or private address), and another workspace's endpoint
 * or delivery is a 404 for every action.
 */
import { describe, expect, it } from "vitest";
import { checkEndpointUrl } from "../../src/services/webhooks/url";
import { fieldError, post } from "../contacts/contact-helpers";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { addEndpoint, deliveriesOf, receiverUrl } from "./helpers";

describe("endpoint URLs", () => {
  it("in production: https to a public host only", () => {
    for (const url of [
      "http://example.com/hook",
      "https://localhost/hook",
      "https://api.localhost/hook",
      "https://127.0.0.1/hook",
      "https://2130706433/hook",
      "https://10.1.2.3/hook",
      "https://172.16.0.1/hook",
      "https://192.168.1.10/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/hook",
      "https://0.0.0.0/hook",
      "https://[::1]/hook",
      "https://[fd00::1]/hook",
      "https://[fe80::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      // Benchmarking, IETF protocol assignments, IPv4-compatible, NAT64 and 6to4 forms of internal addresses.
      "https://198.18.0.1/hook",
      "https://192.0.0.8/hook",
      "https://[::10.0.0.1]/hook",
      "https://[64:ff9b::a00:1]/hook",
      "https://[64:ff9b:1::1]/hook",
      "https://[2002:c0a8:101::1]/hook",
      "https://[ff02::1]/hook",
      "https://2130706433/hook",
      "ftp://example.com/hook",
      "https://user:pw@example.com/hook",
      "not a url",
    ])
      expect(checkEndpointUrl(url, true).ok, url).toBe(false);
    for (const url of [
      "https://example.com/hook",
      "https://93.184.216.34/hook",
      "https://hooks.example.org:8443/x?y=1",
      "https://[2606:4700::1111]/hook",
      "https://[64:ff9b::5db8:d822]/hook",
      "https://[::ffff:93.184.216.34]/hook",
    ])
      expect(checkEndpointUrl(url, true).ok, url).toBe(true);
  });

  it("outside production, http and local receivers are allowed (for development)", () => {
    expect(checkEndpointUrl("http://127.0.0.1:8787/hook", false)).toEqual({
      ok: true,
      url: "http://127.0.0.1:8787/hook",
    });
  });

  it("the form refuses a bad URL or no events by the field, writing nothing", async () => {
    const t = await newTenant("Form Checks");
    const production = { env: { ENVIRONMENT: "production" } };
    const bad = await send("/app/settings/webhooks", {
      cookie: t.cookie,
      form: { url: "https://169.254.169.254/latest", events: "contact.created" },
      ...production,
    });
    expect(bad.status).toBe(422);
    expect(fieldError(await bad.text(), "f-url")).toMatch(/public address/);
    const noEvents = await post("/app/settings/webhooks", t.cookie, { url: receiverUrl("form") });
    expect(noEvents.status).toBe(422);
    expect(await noEvents.text()).toContain("Choose at least one event.");
    const unknown = await post("/app/settings/webhooks", t.cookie, {
      url: receiverUrl("form"),
      events: "contact.eaten",
    });
    expect(unknown.status).toBe(422);
    const page = await (await send("/app/settings/webhooks", { cookie: t.cookie })).text();
    expect(page).toContain("No endpoints yet.");
  });
});

describe("who manages webhooks", () => {
  it("admins and owners do; members and viewers get 403 and change nothing", async () => {
    const t = await newTenant("Roles For Hooks");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("roles"), ["contact.created"]);
    const admin = await memberOf(t.tenantId, "admin");
    expect((await send("/app/settings/webhooks", { cookie: admin.cookie })).status).toBe(200);
    for (const role of ["member", "viewer"] as const) {
      const user = await memberOf(t.tenantId, role);
      expect((await send("/app/settings/webhooks", { cookie: user.cookie })).status).toBe(403);
      expect((await send(`/app/settings/webhooks/${endpoint}`, { cookie: user.cookie })).status).toBe(403);
      expect((await post(`/app/settings/webhooks/${endpoint}/secret`, user.cookie, {})).status).toBe(403);
      expect((await post(`/app/settings/webhooks/${endpoint}/delete`, user.cookie, {})).status).toBe(403);
      const added = await post("/app/settings/webhooks", user.cookie, {
        url: receiverUrl("x"),
        events: "contact.created",
      });
      expect(added.status).toBe(403);
    }
    const page = await (await send(`/app/settings/webhooks/${endpoint}`, { cookie: t.cookie })).text();
    expect(page).toContain(receiverUrl("roles"));
    // The secret is not on the page until an admin asks for it.
    expect(page).not.toContain("whsec_");
    const shown = await (await post(`/app/settings/webhooks/${endpoint}/secret`, admin.cookie, {})).text();
    expect(shown).toMatch(/whsec_[A-Za-z0-9+/]{32}/);
  });
});

describe("another workspace's endpoints", () => {
  it("are a 404 for every action, and stay as they were", async () => {
    const a = await newTenant("Alpha Hooks");
    const b = await newTenant("Beta Hooks");
    const theirs = await addEndpoint(a.cookie, receiverUrl("theirs"), ["contact.created"]);
    await post(`/app/settings/webhooks/${theirs}/test`, a.cookie, {});
    const [delivery] = await deliveriesOf(a.tenantId);
    expect(delivery).toBeDefined();
    expect((await send(`/app/settings/webhooks/${theirs}`, { cookie: b.cookie })).status).toBe(404);
    expect((await send(`/app/settings/webhooks/${theirs}/delete`, { cookie: b.cookie })).status).toBe(404);
    for (const action of ["secret", "enable", "disable", "test", "delete"])
      expect((await post(`/app/settings/webhooks/${theirs}/${action}`, b.cookie, {})).status, action).toBe(404);
    expect((await post(`/app/settings/webhooks/deliveries/${delivery!.id}/replay`, b.cookie, {})).status).toBe(404);
    const still = await (await send(`/app/settings/webhooks/${theirs}`, { cookie: a.cookie })).text();
    expect(still).toContain("Disable");
    expect(await deliveriesOf(a.tenantId)).toHaveLength(1);
    expect(await deliveriesOf(b.tenantId)).toHaveLength(0);
    // Their own replay works.
    expect((await post(`/app/settings/webhooks/deliveries/${delivery!.id}/replay`, a.cookie, {})).status).toBe(303);
    expect(await deliveriesOf(a.tenantId)).toHaveLength(2);
  });
});
