/**
 * The console's account export takes a whole workspace's records only where support could read and change them in
 * the support view anyway: under a live read-and-write grant of an open workspace. Then the owner sees it under that
 * grant in Settings → Support access ("What support saw"), as they see each page support opened.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createContact } from "../contacts/contact-helpers";
import { giveAccess, newStaff } from "./helpers";

const REASON = "Verified request by mail from the account holder";

interface ExportDoc {
  owned_workspaces: { name: string; records_included: boolean; contacts?: unknown }[];
}

async function ownerWithContact(label: string) {
  const owner = await newTenant(`${label} Ltd`);
  await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace" });
  const { id } = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
    .bind(owner.email)
    .first<{ id: string }>())!;
  return { owner, userId: id };
}

async function exportAs(cookie: string, userId: string) {
  const res = await send(`/staff/accounts/${userId}/export`, { cookie, form: { reason: REASON } });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { doc: JSON.parse(text) as ExportDoc, text };
}

describe("the console's account export and a workspace's records", () => {
  it("leaves them out under a read-only grant", async () => {
    const { owner, userId } = await ownerWithContact("Read Grant");
    await giveAccess(owner.cookie, "read");
    const staff = await newStaff("support", "Alex");
    const { doc, text } = await exportAs(staff.cookie, userId);
    expect(doc.owned_workspaces[0]).toMatchObject({ records_included: false });
    expect(text).not.toContain("Lovelace");
  });

  it("leaves them out of a closed workspace, even under a read-and-write grant", async () => {
    const { owner, userId } = await ownerWithContact("Closed Grant");
    await giveAccess(owner.cookie, "write");
    const closed = await send("/app/settings/close", {
      cookie: owner.cookie,
      form: { password: GOOD_PASSWORD, confirm_close: "on" },
    });
    expect(closed.status).toBeLessThan(400);
    expect(
      await env.DB.prepare("SELECT closed_at FROM tenants WHERE id = ?").bind(owner.tenantId).first("closed_at"),
    ).not.toBeNull();
    const staff = await newStaff("support", "Alex");
    const { doc, text } = await exportAs(staff.cookie, userId);
    expect(doc.owned_workspaces[0]).toMatchObject({ records_included: false });
    expect(text).not.toContain("Lovelace");
  });

  it("includes them under a live read-and-write grant, listed under it in What support saw", async () => {
    const { owner, userId } = await ownerWithContact("Write Grant");
    const grantId = await giveAccess(owner.cookie, "write");
    const staff = await newStaff("support", "Alex");
    const { doc, text } = await exportAs(staff.cookie, userId);
    expect(doc.owned_workspaces[0]).toMatchObject({ records_included: true });
    expect(text).toContain("Lovelace");

    const settings = await textOf("/app/settings/support", { cookie: owner.cookie });
    const row = settings.slice(settings.indexOf(`id="grant-${grantId}"`));
    expect(row).toContain("Alex viewed every record, downloaded in an account export");
  });
});
