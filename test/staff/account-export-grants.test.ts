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
import { createCompanyThroughForm } from "../companies/helpers";
import { giveAccess, newStaff, OPS_ENV } from "./helpers";

const REASON = "Verified request by mail from the account holder";

interface ExportDoc {
  owned_workspaces: { name: string; records_included: boolean; contacts?: unknown }[];
  audit_entries: { action: string; target_type: string | null; target_label: string | null; detail: unknown }[];
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

  it("names no deleted record in the audit entries without a read-and-write grant, and names it under one", async () => {
    const owner = await newTenant("Deletes A Company Co");
    const companyId = await createCompanyThroughForm(owner.cookie, { name: "Lovelace Ltd" });
    expect((await send(`/app/companies/${companyId}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const renamed = { cookie: owner.cookie, form: { company_name: "Renamed Company Co" } };
    expect((await send("/app/settings/profile/company", renamed)).status).toBe(303);
    const userId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(owner.email)
      .first<string>("id"))!;
    const staff = await newStaff("support", "Alex");

    const { doc, text } = await exportAs(staff.cookie, userId);
    expect(text).not.toContain("Lovelace");
    // What was done, and when, is still there; and the account's own entries keep their words.
    const deleted = doc.audit_entries.find((a) => a.action === "record.deleted");
    expect(deleted).toMatchObject({ target_type: "company", target_label: null, detail: null });
    expect(doc.audit_entries.find((a) => a.action === "workspace.updated")?.target_label).toBe("Renamed Company Co");

    // The operator's export answers the person's own access request: it keeps what their own archive holds.
    const byOperator = await send("/ops/accounts/export", {
      method: "POST",
      body: JSON.stringify({ email: owner.email, operator: "Ana", reason: REASON }),
      headers: { Authorization: `Bearer ${OPS_ENV.OPS_TOKEN}`, "Content-Type": "application/json" },
      origin: null,
      env: OPS_ENV,
    });
    expect(byOperator.status).toBe(200);
    expect(await byOperator.text()).toContain("Lovelace Ltd");

    await giveAccess(owner.cookie, "write");
    expect((await exportAs(staff.cookie, userId)).text).toContain("Lovelace Ltd");
  });
});
