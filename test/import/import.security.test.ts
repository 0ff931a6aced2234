/** Imports as the wrong tenant, the wrong role, a forged origin, and with hostile cell contents. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { countRows } from "../helpers/db";
import { memberOf, newTenant } from "../helpers/tenants";
import { importFile, job, jobId, upload, waitFor } from "./helpers";

const CSV = "First name,Last name,Email\nAda,Lovelace,ada@example.com\nBad,Row,not-an-email";

describe("another tenant's import", () => {
  it("answers 404 to its page, error file, mapping, commit and undo, and changes nothing", async () => {
    const a = await newTenant("Tenant A");
    const b = await newTenant("Tenant B");
    const ready = jobId(await upload(a.cookie, CSV));
    await waitFor(ready, ["ready"]);
    const { id: done } = await importFile(a.cookie, CSV);
    for (const [method, path] of [
      ["GET", `/app/import/${ready}`],
      ["GET", `/app/import/${ready}/errors.csv`],
      ["POST", `/app/import/${ready}/mapping`],
      ["POST", `/app/import/${ready}/commit`],
      ["GET", `/app/import/${done}`],
      ["GET", `/app/import/${done}/errors.csv`],
      ["POST", `/app/import/${done}/undo`],
    ] as const) {
      const res = await send(path, {
        method,
        cookie: b.cookie,
        form: method === "POST" ? { col_0: "first_name", encoding: "auto" } : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await job(ready)).status).toBe("ready");
    expect((await job(done)).status).toBe("done");
    expect(await countRows("contacts", "tenant_id = ?", a.tenantId)).toBe(1);
    // B's own import page does not list A's imports.
    const page = await textOf("/app/import", { cookie: b.cookie });
    expect(page).not.toContain(ready);
    expect(page).not.toContain(done);
  });

  it("never links to another tenant's company, tag or member", async () => {
    const a = await newTenant("Tenant A");
    const b = await newTenant("Tenant B");
    await importFile(a.cookie, "First name,Email,Company,Tags\nAda,ada@a.example,Shared Name Ltd,Secret tag");
    await importFile(
      b.cookie,
      `First name,Email,Company,Tags,Owner\nBob,bob@b.example,Shared Name Ltd,Secret tag,${a.email}`,
    );
    const bob = await env.DB.prepare(
      "SELECT c.company_id, c.owner_id, co.tenant_id AS company_tenant FROM contacts c JOIN companies co ON co.id = c.company_id WHERE c.tenant_id = ?",
    )
      .bind(b.tenantId)
      .first<{ company_id: number; owner_id: string | null; company_tenant: string }>();
    expect(bob!.company_tenant).toBe(b.tenantId);
    expect(bob!.owner_id).toBeNull();
    expect(
      await countRows(
        "contact_tags ct JOIN tags t ON t.id = ct.tag_id",
        "ct.tenant_id = ? AND t.tenant_id != ?",
        b.tenantId,
        b.tenantId,
      ),
    ).toBe(0);
  });
});

describe("roles and origin", () => {
  it("members and viewers cannot import (403) and nothing is stored", async () => {
    const owner = await newTenant();
    for (const role of ["member", "viewer"] as const) {
      const user = await memberOf(owner.tenantId, role);
      expect((await send("/app/import", { cookie: user.cookie })).status).toBe(403);
      expect((await upload(user.cookie, CSV)).status).toBe(403);
    }
    expect(await countRows("import_jobs", "tenant_id = ?", owner.tenantId)).toBe(0);
    expect((await env.FILES.list({ prefix: `imports/${owner.tenantId}/` })).objects).toHaveLength(0);
  });

  it("a forged Origin is refused and nothing is stored", async () => {
    const owner = await newTenant();
    const form = new FormData();
    form.set("kind", "contacts");
    form.set("encoding", "auto");
    form.set("file", new File([CSV], "x.csv"));
    const res = await send("/app/import", {
      method: "POST",
      body: form,
      cookie: owner.cookie,
      origin: "https://evil.example",
    });
    expect(res.status).toBe(403);
    expect(await countRows("import_jobs", "tenant_id = ?", owner.tenantId)).toBe(0);
  });
});

describe("hostile contents", () => {
  it("imports HTML and SQL as plain text and shows them escaped", async () => {
    const owner = await newTenant();
    const { id } = await importFile(
      owner.cookie,
      `First name,Last name,Email\n<script>alert(1)</script>,"'); DROP TABLE contacts;--",x@example.com`,
      {
        name: `<img src=x onerror=alert(1)>.csv`,
      },
    );
    const row = await env.DB.prepare("SELECT id, first_name, last_name FROM contacts WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ id: number; first_name: string; last_name: string }>();
    expect(row).toMatchObject({ first_name: "<script>alert(1)</script>", last_name: "'); DROP TABLE contacts;--" });
    const page = await textOf(`/app/contacts/${row!.id}`, { cookie: owner.cookie });
    expect(page).not.toContain("<script>alert(1)</script>");
    const jobPage = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(jobPage).not.toContain("<img src=x");
    expect(jobPage).toContain("&lt;img src=x onerror=alert(1)&gt;.csv");
  });

  it("malformed UTF-8 in an otherwise UTF-8 file is read as Windows-1252 text, never stored as U+FFFD", async () => {
    const owner = await newTenant();
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("First name,Email\nJos"),
      0xe9,
      ...new TextEncoder().encode(",jose@example.com\n"),
    ]);
    await importFile(owner.cookie, bytes);
    const row = await env.DB.prepare("SELECT first_name FROM contacts WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ first_name: string }>();
    expect(row!.first_name).toBe("José");
  });
});
