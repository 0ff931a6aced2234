import { describe, expect, it } from "vitest";
import { send, signUp } from "./helpers/http";

describe("smoke", () => {
  it("serves the landing page and signs up", async () => {
    const res = await send("/");
    expect(res.status).toBe(200);
    const { cookie } = await signUp();
    const app = await send("/app", { cookie });
    expect(app.status).toBe(200);
  });
});
