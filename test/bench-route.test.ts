import { describe, expect, it } from "vitest";
import { send } from "./helpers/http";
import { newTenant } from "./helpers/tenants";

describe("/bench/floor", () => {
  it("does not exist unless the bench started the server with BENCH=1", async () => {
    expect((await send("/bench/floor?tenant=x")).status).toBe(404);
  });

  it("answers one tenant's first 50 contacts by name, as JSON, when enabled", async () => {
    const { tenantId } = await newTenant("Bench Route Co");
    const res = await send(`/bench/floor?tenant=${tenantId}`, { env: { BENCH: "1" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });
});
