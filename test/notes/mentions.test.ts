/**
 * @mentions in notes, as the people involved see them: the mentioned member gets a bell entry and a mail
 * (unless they turned mention mails off), written with the note; a removed member or another workspace's
 * user is never told; editing tells only those newly mentioned; the suggestions list only this workspace.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send, textOf } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import { createCompanyThroughForm } from "../companies/helpers";
import { restoreTo, trashItemOf } from "../trash/helpers";
import { addEndpoint, receiverUrl } from "../webhooks/helpers";

async function userOf(email: string) {
  return (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;
}

/** A signed-up person whose address is confirmed (only confirmed addresses get mail). */
async function verified<T extends { email: string }>(user: T): Promise<T & { id: string }> {
  await env.DB.prepare("UPDATE users SET email_verified_at = ? WHERE email = ?").bind(Date.now(), user.email).run();
  return { ...user, id: await userOf(user.email) };
}

const mention = (name: string, id: string) => `@[${name}](user:${id})`;

async function bellOf(userId: string) {
  return (
    await env.DB.prepare(
      "SELECT tenant_id, note_id, title, read_at FROM notifications WHERE user_id = ? AND note_id IS NOT NULL ORDER BY id",
    )
      .bind(userId)
      .all<{ tenant_id: string; note_id: number; title: string; read_at: number | null }>()
  ).results;
}

const mentionMails = async (email: string) => (await mailTo(email)).filter((m) => m.kind === "mention");

async function team() {
  const owner = await verified(await newTenant("Mention Co"));
  const member = await verified(await memberOf(owner.tenantId, "member"));
  const company = await createCompanyThroughForm(owner.cookie, { name: "Mentioned Ltd" });
  return { owner, member, company };
}

async function addNote(cookie: string, company: number, body: string) {
  const res = await send(`/app/companies/${company}/notes`, { cookie, form: { body } });
  expect(res.status, await res.clone().text()).toBe(303);
  return (await env.DB.prepare("SELECT max(id) AS id FROM notes").first<{ id: number }>())!.id;
}

/** The member deletes their account (memberOf() gave them a workspace of their own at sign-up: it goes first). */
async function deleteAccount(member: { id: string; cookie: string }) {
  await env.DB.prepare(
    "DELETE FROM tenants WHERE id IN (SELECT tenant_id FROM memberships WHERE user_id = ? AND role = 'owner')",
  )
    .bind(member.id)
    .run();
  const deleted = await send("/app/settings/profile/delete", {
    cookie: member.cookie,
    form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
  });
  expect(deleted.status).toBe(303);
}

describe("mentioning a member in a note", () => {
  it("mails a link that opens the note's workspace, even from a browser working in another of theirs", async () => {
    const { owner, member, company } = await team();
    await addNote(owner.cookie, company, `Ask ${mention("Bea", member.id)} about pricing`);
    const [mail] = await mentionMails(member.email);
    const link = new URL(mail!.text_body.match(/https?:\/\/\S+\/app\/workspaces\/open\/\S+/)![0]);
    const path = link.pathname + link.search;
    // Bea works in her own workspace in this browser: the record's own address is a 404 there.
    const own = (await env.DB.prepare(
      "SELECT m.tenant_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? AND m.role = 'owner'",
    )
      .bind(member.email)
      .first<{ tenant_id: string }>())!.tenant_id;
    expect((await send("/app/workspaces/switch", { cookie: member.cookie, form: { tenant_id: own } })).status).toBe(
      303,
    );
    expect((await send(`/app/companies/${company}`, { cookie: member.cookie })).status).toBe(404);
    const offer = await send(path, { cookie: member.cookie });
    expect(offer.status).toBe(200);
    expect(await offer.text()).toContain("Switch to Mention Co and open it");
    const switched = await send("/app/workspaces/switch", {
      cookie: member.cookie,
      form: { tenant_id: owner.tenantId, next: `/app/companies/${company}` },
    });
    expect(switched.headers.get("Location")).toBe(`/app/companies/${company}`);
    expect((await send(`/app/companies/${company}`, { cookie: member.cookie })).status).toBe(200);
    // In it already: straight through. Not a member, or a "to" off the app: nothing of it.
    expect((await send(path, { cookie: member.cookie })).headers.get("Location")).toBe(`/app/companies/${company}`);
    const stranger = await newTenant("Stranger Co");
    expect((await send(path, { cookie: stranger.cookie })).status).toBe(404);
    const offSite = await send(`/app/workspaces/open/${owner.tenantId}?to=//evil.example/x`, { cookie: member.cookie });
    expect(offSite.headers.get("Location")).toBe("/app");
  });

  it("rings their bell and mails them, and the bell leads to the note", async () => {
    const { owner, member, company } = await team();
    const noteId = await addNote(owner.cookie, company, `Ask ${mention("Bea", member.id)} about **pricing**`);
    const [entry] = await bellOf(member.id);
    expect(entry).toMatchObject({ tenant_id: owner.tenantId, note_id: noteId, read_at: null });
    expect(entry!.title).toBe(`${owner.email} mentioned you in a note on a company`);
    const [mail] = await mentionMails(member.email);
    expect(mail).toMatchObject({ essential: 0, subject: `${owner.email} mentioned you in a note on a company` });
    expect(mail!.text_body).toContain(
      `/app/workspaces/open/${owner.tenantId}?to=${encodeURIComponent(`/app/companies/${company}`)}`,
    );
    expect(mail!.text_body).toContain("/unsubscribe/mentions.");
    // The author is never told about themselves.
    expect(await bellOf(owner.id)).toEqual([]);

    const page = await textOf(`/app/companies/${company}`, { cookie: owner.cookie });
    expect(page).toContain('<span class="mention">@Bea</span> about <strong>pricing</strong>');

    const notificationId = (await env.DB.prepare("SELECT id FROM notifications WHERE note_id = ?")
      .bind(noteId)
      .first<{ id: number }>())!.id;
    const open = await send(`/app/notifications/${notificationId}/open`, { cookie: member.cookie, form: {} });
    expect(open.status).toBe(303);
    expect(open.headers.get("Location")).toBe(`/app/companies/${company}#note-${noteId}`);
    expect((await bellOf(member.id))[0]!.read_at).not.toBeNull();
  });

  it("leaves no name or address of a member who deletes their account in notes or colleagues' bells", async () => {
    const { owner, member, company } = await team();
    // Bea has no name: her mention is her address. She mentions the owner too, which rings the owner's bell.
    await addNote(
      owner.cookie,
      company,
      `Ask ${mention(member.email, member.id)} and ${mention("Cy", "abcdefghijklmnopqrstuvwx")}`,
    );
    await addNote(member.cookie, company, `${mention(owner.email, owner.id)} I called them`);
    expect((await bellOf(owner.id))[0]!.title).toContain(member.email);
    await deleteAccount(member);

    const bodies = (
      await env.DB.prepare("SELECT body FROM notes WHERE tenant_id = ? ORDER BY id")
        .bind(owner.tenantId)
        .all<{ body: string }>()
    ).results.map((n) => n.body);
    expect(bodies).toEqual([
      `Ask @former member and ${mention("Cy", "abcdefghijklmnopqrstuvwx")}`,
      `${mention(owner.email, owner.id)} I called them`,
    ]);
    expect((await bellOf(owner.id)).map((b) => b.title)).toEqual([
      "A former member mentioned you in a note on a company",
    ]);
    const page = await textOf(`/app/companies/${company}`, { cookie: owner.cookie });
    expect(page).toContain("Ask @former member and");
    expect(page).not.toContain(member.email);
  });

  it("takes their name out of the trash's copy and the webhook event too, so a restore does not bring it back", async () => {
    const { owner, member, company } = await team();
    await addEndpoint(owner.cookie, receiverUrl("mentions-erased"), ["note.created"]);
    await addNote(owner.cookie, company, `Ask ${mention('Bea Quoted "B"', member.id)} about pricing`);
    expect((await send(`/app/companies/${company}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    await deleteAccount(member);

    const kept = async (query: string) =>
      (await env.DB.prepare(query).bind(owner.tenantId).all<{ v: string }>()).results.map((r) => r.v).join("\n");
    const copies = `${await kept("SELECT data AS v FROM trash_rows WHERE tenant_id = ?")}
      ${await kept("SELECT payload AS v FROM webhook_events WHERE tenant_id = ?")}`;
    expect(copies).toContain("Ask @former member about pricing");
    expect(copies).not.toContain("Bea Quoted");
    expect(copies).not.toContain(member.id);
    const item = await trashItemOf("company", company);
    await restoreTo(owner.cookie, item!.id, `/app/companies/${company}`);
    const page = await textOf(`/app/companies/${company}`, { cookie: owner.cookie });
    expect(page).toContain("Ask @former member about pricing");
    expect(page).not.toContain("Bea Quoted");
  });

  it("lists a trashed note by its words with mentions as @Name, and drops the name when that member's account goes", async () => {
    const { owner, member, company } = await team();
    const noteId = await addNote(owner.cookie, company, `${mention("Bea Smith", member.id)} call back`);
    expect((await send(`/app/notes/${noteId}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    const item = (await trashItemOf("note", noteId))!;
    const confirm = `/app/trash/${item.id}/delete`;
    for (const path of ["/app/trash", confirm]) {
      const page = await textOf(path, { cookie: owner.cookie });
      expect(page).toContain("@Bea Smith call back");
      expect(page).not.toContain("user:");
    }

    await deleteAccount(member);
    // The title is what the trash page, the Delete forever confirmation and workspace/trash.json show.
    expect((await trashItemOf("note", noteId))!.title).toBe("@former member call back");
    for (const path of ["/app/trash", confirm]) {
      const page = await textOf(path, { cookie: owner.cookie });
      expect(page).toContain("@former member call back");
      expect(page).not.toContain("Bea Smith");
      expect(page).not.toContain(member.id);
    }
  });

  it("rings the bell but sends no mail to a member who turned mention mails off", async () => {
    const { owner, member, company } = await team();
    const prefs = await send("/app/settings/profile/email-preferences", {
      cookie: member.cookie,
      form: { digest: "on", reminders: "on" },
    });
    expect(prefs.status).toBe(303);
    await addNote(owner.cookie, company, `${mention("Bea", member.id)} see this`);
    expect(await bellOf(member.id)).toHaveLength(1);
    expect(await mentionMails(member.email)).toEqual([]);
  });

  it("tells nobody for another workspace's user, a removed member, or an id that is no one's", async () => {
    const { owner, member, company } = await team();
    const stranger = await verified(await newTenant("Elsewhere"));
    await env.DB.prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(owner.tenantId, member.id)
      .run();
    await addNote(
      owner.cookie,
      company,
      `${mention("Eve", stranger.id)} ${mention("Bea", member.id)} ${mention("Nobody", "abcdefghijklmnopqrstuvwx")}`,
    );
    expect(await bellOf(stranger.id)).toEqual([]);
    expect(await bellOf(member.id)).toEqual([]);
    expect(await mentionMails(stranger.email)).toEqual([]);
    expect(await mentionMails(member.email)).toEqual([]);
    // The names stay text: no link to anyone.
    const page = await textOf(`/app/companies/${company}`, { cookie: owner.cookie });
    expect(page).toContain('<span class="mention">@Eve</span>');
    expect(page).not.toContain("user:");
  });

  it("on an edit, tells only the members the note did not mention before", async () => {
    const { owner, member, company } = await team();
    const third = await verified(await memberOf(owner.tenantId, "viewer"));
    const noteId = await addNote(owner.cookie, company, `${mention("Bea", member.id)} first`);
    const edited = await send(`/app/notes/${noteId}`, {
      cookie: owner.cookie,
      form: { body: `${mention("Bea", member.id)} first, and ${mention("Cy", third.id)} too` },
    });
    expect(edited.status).toBe(303);
    expect(await bellOf(member.id)).toHaveLength(1);
    expect(await mentionMails(member.email)).toHaveLength(1);
    expect(await bellOf(third.id)).toMatchObject([{ note_id: noteId }]);
    expect(await mentionMails(third.email)).toHaveLength(1);
    // Saving again unchanged tells nobody again.
    await send(`/app/notes/${noteId}`, {
      cookie: owner.cookie,
      form: { body: `${mention("Bea", member.id)} first, and ${mention("Cy", third.id)} too!` },
    });
    expect(await bellOf(third.id)).toHaveLength(1);
  });

  it("without the suggestions, reads @<a member's email> as their mention, and leaves other addresses alone", async () => {
    const { owner, member, company } = await team();
    const stranger = await verified(await newTenant("Typed Elsewhere"));
    const noteId = await addNote(owner.cookie, company, `Ping @${member.email.toUpperCase()}. And @${stranger.email}`);
    const stored = (await env.DB.prepare("SELECT body FROM notes WHERE id = ?")
      .bind(noteId)
      .first<{ body: string }>())!;
    expect(stored.body).toBe(`Ping ${mention(member.email, member.id)}. And @${stranger.email}`);
    expect(await bellOf(member.id)).toHaveLength(1);
    expect(await bellOf(stranger.id)).toEqual([]);
  });

  it("removes the bell entry with the note", async () => {
    const { owner, member, company } = await team();
    const noteId = await addNote(owner.cookie, company, `${mention("Bea", member.id)} soon gone`);
    expect(await bellOf(member.id)).toHaveLength(1);
    expect((await send(`/app/notes/${noteId}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    expect(await bellOf(member.id)).toEqual([]);
  });

  it("suggests only this workspace's members, to members", async () => {
    const { owner, member } = await team();
    const stranger = await newTenant("Not Here");
    const res = await send("/app/notes/members", { cookie: member.cookie });
    expect(res.status).toBe(200);
    const members = (await res.json()) as { id: string; email: string }[];
    expect(members.map((m) => m.email).sort()).toEqual([owner.email, member.email].sort());
    expect(members.map((m) => m.email)).not.toContain(stranger.email);
    const viewer = await memberOf(owner.tenantId, "viewer");
    expect((await send("/app/notes/members", { cookie: viewer.cookie })).status).toBe(403);
  });
});
