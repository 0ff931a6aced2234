/**
 * What an operator's account actions keep and give: erase-account writes its reason into an append-only audit
 * entry that outlives the account, so the person's address must not stay in it however the reason writes it
 * (another case, a former address); export-account gives every email list's choice.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, signUp } from "../helpers/http";
import { invitedMember, verifiedOwner } from "../team/team-helpers";

const TOKEN = "ops-token-for-tests-0123456789abcdef-reason";

function ops(path: string, body: unknown) {
  return send(path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    origin: null,
    env: { OPS_TOKEN: TOKEN },
  });
}

/** "ada-…@example.com" as a person might type it: "Ada-…@Example.com". */
const otherCase = (address: string) =>
  address.charAt(0).toUpperCase() + address.slice(1).replace("@example", "@Example");

describe("erase-account's reason in the audit trail", () => {
  it("keeps no address of the person: not in another case, not a former one, and no other address either", async () => {
    const owner = await verifiedOwner("Keeps Its Trail Co");
    const member = await invitedMember(owner, "member"); // their invitation keeps the address they joined with
    const current = member.email.replace("@", "-now@");
    expect(
      (
        await ops("/ops/accounts/correct-email", {
          old_email: member.email,
          new_email: current,
          operator: "Sam",
          reason: "Asked by mail",
        })
      ).status,
    ).toBe(200);
    const before = (await env.DB.prepare("SELECT max(id) AS id FROM audit_log").first<{ id: number }>())!.id;

    const reason = `Deletion asked by ${otherCase(current)} (joined as ${member.email}; cc helper@example.com)`;
    const res = await ops("/ops/accounts/erase", { email: current, operator: "Sam", reason });
    expect(res.status).toBe(200);

    const { results } = await env.DB.prepare(
      "SELECT action, detail FROM audit_log WHERE id > ? AND detail LIKE '%Deletion asked by%'",
    )
      .bind(before)
      .all<{ action: string; detail: string }>();
    expect(results.map((r) => r.action)).toContain("ops.account_erased");
    for (const r of results) expect(r.detail.toLowerCase()).not.toContain("@example.com");
    const erased = results.find((r) => r.action === "ops.account_erased")!;
    expect(JSON.parse(erased.detail).reason).toBe(
      "Deletion asked by [the address] (joined as [the address]; cc [the address])",
    );
  });
});

describe("export-account's email preferences", () => {
  it("gives the choice of every list, as the person set them on their profile", async () => {
    const { email, cookie } = await signUp();
    const saved = await send("/app/settings/profile/email-preferences", {
      cookie,
      form: { digest: "on", reminders: "on", agenda: "on" }, // news and mentions unticked
    });
    expect(saved.status).toBe(303);
    const res = await ops("/ops/accounts/export", { email, operator: "Sam", reason: "Access request by mail" });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { email_preferences: Record<string, unknown> };
    expect(doc.email_preferences).toEqual({
      digest: true,
      news: false,
      reminders: true,
      agenda: true,
      mentions: false,
      updated_at: expect.any(String),
    });
  });
});
