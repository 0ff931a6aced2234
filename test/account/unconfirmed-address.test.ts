/**
 * What waits for a confirmed address, said where an unconfirmed user looks: the banner names everything that is
 * refused or not sent until then, and the profile's email preferences say they are paused. Once confirmed, neither.
 */
import { describe, expect, it } from "vitest";
import { textOf } from "../helpers/http";
import { confirmAddressOf, newTenant } from "../helpers/tenants";

const WAITS =
  "Until then you cannot invite your team or set up API keys, webhooks and calendar feeds, and we send you no optional email (task reminders, the daily agenda, mentions, the weekly digest).";
const PAUSED = "Paused until you confirm your address";

/** The page's text as read: tags dropped, whitespace folded. */
const readable = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .replace(/ ([.,:)])/g, "$1");

describe("an unconfirmed address", () => {
  it("the banner lists what waits for confirmation, and the email preferences say they are paused", async () => {
    const user = await newTenant("Unconfirmed Co");
    expect(readable(await textOf("/app", { cookie: user.cookie }))).toContain(WAITS);
    const profile = readable(await textOf("/app/settings/profile", { cookie: user.cookie }));
    expect(profile).toContain(`${PAUSED}: we send none of these to ${user.email}`);
  });

  it("a confirmed user sees neither", async () => {
    const user = await newTenant("Confirmed Co");
    await confirmAddressOf(user.cookie);
    expect(readable(await textOf("/app", { cookie: user.cookie }))).not.toContain("Until then");
    expect(await textOf("/app/settings/profile", { cookie: user.cookie })).not.toContain(PAUSED);
  });
});
