/** A confirmation link opened again (most often by someone who has confirmed already) says nothing more is needed. */
import { describe, expect, it } from "vitest";
import { send, signUp } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";

describe("a used confirmation link", () => {
  it("tells an already confirmed user that nothing more is needed, before offering a new link", async () => {
    const { email, cookie } = await signUp();
    const path = linkPath(await lastMail(email, "verify_email"), "/verify-email/");
    expect((await send(path, { method: "POST", cookie })).status).toBe(200);
    for (const again of [await send(path, { cookie }), await send(path, { method: "POST", cookie })]) {
      expect(again.status).toBe(404);
      const html = await again.text();
      expect(html).toContain("This link no longer works");
      expect(html).toContain("If you already confirmed your address, nothing more is needed.");
      expect(html).not.toContain("Go to your dashboard to get a new link");
    }
  });
});
