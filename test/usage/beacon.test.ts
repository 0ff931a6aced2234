/**
 * POST /app/usage/beacon: the time-spent script's seconds for a page pattern. A known pattern and sane
 * seconds are stored (204); an unknown pattern, a URL, huge or garbage seconds are a 400 and store nothing;
 * without a session nothing is stored.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { usageOf } from "./helpers";

const beacon = (cookie: string | undefined, form: Record<string, string>) =>
  send("/app/usage/beacon", { cookie, form });

describe("the time-spent beacon", () => {
  it("stores a page pattern's visible seconds and answers 204", async () => {
    const t = await newTenant("Beacon Store Co");
    const res = await beacon(t.cookie, { route: "/app/contacts/:id", seconds: "42" });
    expect(res.status).toBe(204);
    const [point] = await usageOf(t.tenantId, "time");
    expect(point).toMatchObject({ name: "/app/contacts/:id", seconds: 42, plan: "free", device: "desktop" });
  });

  it("refuses unknown patterns, URLs and seconds out of range or not numbers, with a 400", async () => {
    const t = await newTenant("Beacon Refuse Co");
    const refused: Record<string, string>[] = [
      { route: "/app/contacts/123", seconds: "5" },
      { route: "/app/nowhere", seconds: "5" },
      { route: "https://evil.example/app", seconds: "5" },
      { route: "/app/contacts/:id", seconds: "3601" },
      { route: "/app/contacts/:id", seconds: "0" },
      { route: "/app/contacts/:id", seconds: "-3" },
      { route: "/app/contacts/:id", seconds: "1e3" },
      { route: "/app/contacts/:id", seconds: "9999999999999999" },
      { route: "/app/contacts/:id" },
      { seconds: "5" },
    ];
    for (const form of refused) {
      const res = await beacon(t.cookie, form);
      expect(res.status, JSON.stringify(form)).toBe(400);
    }
    // Not a form at all.
    const json = await send("/app/usage/beacon", {
      method: "POST",
      cookie: t.cookie,
      body: '{"route":"/app"}',
      headers: { "Content-Type": "application/json" },
    });
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
    expect(await usageOf(t.tenantId, "time")).toEqual([]);
  });

  it("needs a session", async () => {
    const res = await beacon(undefined, { route: "/app", seconds: "5" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});
