/** The workspaces page's notices come from flags only: text in its URL never reaches the page. */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

const visible = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("the workspaces page's notice", () => {
  it("never shows text from its query, and names the session's own workspace", async () => {
    const user = await newTenant("Honest Workspace Co");
    const attack = await send(`/app/workspaces?moved_to=${encodeURIComponent("Evil: call +1 555 0100 to verify")}`, {
      cookie: user.cookie,
    });
    expect(attack.status).toBe(200);
    const html = await attack.text();
    expect(html).not.toContain("Evil");
    expect(html).not.toContain("you are now working in");

    const moved = await send("/app/workspaces?moved=1", { cookie: user.cookie });
    expect(visible(await moved.text())).toContain(
      "The workspace you were in is closed, so you are now working in Honest Workspace Co.",
    );
  });
});
