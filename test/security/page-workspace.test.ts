/**
 * One browser, two tabs, one session: a page of workspace A left open while another tab switched to B must not act
 * on B. The page carries its workspace (Layout's #ct-workspace, sent by app.js as `_workspace` or X-Workspace), and
 * a change whose page was of another workspace is refused (src/middleware/page-workspace.tsx).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send, textOf } from "../helpers/http";
import {
  auditEntries,
  invitationMailTo,
  invite,
  invitedMember,
  roleIn,
  teamState,
  verifiedOwner,
} from "../team/team-helpers";

/** The workspace a page says it was rendered for. */
function markerOf(html: string): string | null {
  return /<div id="ct-workspace" data-workspace="([^"]+)" hidden=""><\/div>/.exec(html)?.[1] ?? null;
}

/** Owner U of A and B, colleague C a member of both; U's session ends in B. */
async function twoWorkspaces() {
  const owner = await verifiedOwner("Alpha Tabs");
  const colleague = await invitedMember(owner, "member");
  const created = await send("/app/workspaces", { cookie: owner.cookie, form: { name: "Beta Tabs" } });
  expect(created.status).toBe(303);
  const b = (await env.DB.prepare(
    "SELECT m.tenant_id AS id FROM memberships m JOIN tenants t ON t.id = m.tenant_id WHERE m.user_id = ? AND t.name = 'Beta Tabs'",
  )
    .bind(owner.userId)
    .first<{ id: string }>())!.id;
  await invite(owner.cookie, colleague.email, "member");
  const { token } = await invitationMailTo(colleague.email);
  expect((await send(`/invite/${token}`, { cookie: colleague.cookie, form: {} })).status).toBe(303);
  expect(await roleIn(b, colleague.userId)).toBe("member");
  return { owner, colleague, a: owner.tenantId, b };
}

const switchTo = async (cookie: string, tenantId: string) =>
  expect((await send("/app/workspaces/switch", { cookie, form: { tenant_id: tenantId } })).status).toBe(303);

/** Tab 1 opens A's team page and keeps its marker; tab 2 switches the session to B. */
async function staleTeamPageOfA() {
  const w = await twoWorkspaces();
  await switchTo(w.owner.cookie, w.a);
  const teamPage = await textOf("/app/settings/team", { cookie: w.owner.cookie });
  const removeAction = `/app/settings/team/members/${w.colleague.userId}/remove`;
  expect(teamPage).toContain(`action="${removeAction}"`);
  const marker = markerOf(teamPage);
  expect(marker).toBe(w.a);
  await switchTo(w.owner.cookie, w.b);
  return { ...w, marker: marker!, removeAction };
}

describe("a page of one workspace, the session in another", () => {
  it("a plain form's remove of C, sent from A's page after the switch to B, is refused: C stays in B, no audit entry", async () => {
    const { owner, colleague, b, marker, removeAction } = await staleTeamPageOfA();
    const before = await teamState();
    const res = await send(removeAction, {
      cookie: owner.cookie,
      form: { _workspace: marker },
      headers: { Referer: "http://localhost/app/settings/team" },
    });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain("This page was open in <strong>Alpha Tabs</strong>");
    expect(page).toContain("you are now working in <strong>Beta Tabs</strong>");
    expect(page).toContain("Nothing was changed.");
    expect(page).toContain('<a href="/app/settings/team">Reload this page in Beta Tabs</a>');
    // The way back to A: the switch, then the same page.
    expect(page).toMatch(
      new RegExp(
        `<form method="post" action="/app/workspaces/switch"><input type="hidden" name="tenant_id" value="${marker}"/><input type="hidden" name="next" value="/app/settings/team"/>`,
      ),
    );
    expect(markerOf(page)).toBe(b); // the refusal itself is a page of B
    expect(await roleIn(b, colleague.userId)).toBe("member");
    expect(await auditEntries(b, "member.removed")).toEqual([]);
    expect(await teamState()).toEqual(before);
  });

  it("the same change by htmx (X-Workspace) is refused, its message put in the page's main part", async () => {
    const { owner, colleague, b, marker, removeAction } = await staleTeamPageOfA();
    const res = await send(removeAction, {
      cookie: owner.cookie,
      form: {},
      headers: {
        "HX-Request": "true",
        "X-Workspace": marker,
        "HX-Current-URL": "http://localhost/app/settings/team?notice=invited",
      },
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("HX-Retarget")).toBe("#main");
    expect(res.headers.get("HX-Reswap")).toBe("innerHTML");
    const fragment = await res.text();
    expect(fragment).not.toContain("<html");
    expect(fragment).toContain("This page was open in <strong>Alpha Tabs</strong>");
    expect(fragment).toContain('href="/app/settings/team?notice=invited"');
    expect(await roleIn(b, colleague.userId)).toBe("member");
    expect(await auditEntries(b, "member.removed")).toEqual([]);
  });

  it("a role change and an ownership transfer from A's page do not touch B either", async () => {
    const { owner, colleague, b, marker } = await staleTeamPageOfA();
    const role = await send(`/app/settings/team/members/${colleague.userId}/role`, {
      cookie: owner.cookie,
      form: { role: "admin", _workspace: marker },
    });
    expect(role.status).toBe(409);
    const transfer = await send("/app/settings/team/transfer", {
      cookie: owner.cookie,
      form: { user_id: colleague.userId, password: GOOD_PASSWORD, _workspace: marker },
    });
    expect(transfer.status).toBe(409);
    expect(await roleIn(b, colleague.userId)).toBe("member");
    expect(await roleIn(b, owner.userId)).toBe("owner");
  });

  it("a change from a page of the current workspace works", async () => {
    const { owner, colleague, b, removeAction } = await staleTeamPageOfA();
    expect(markerOf(await textOf("/app/settings/team", { cookie: owner.cookie }))).toBe(b);
    const removed = await send(removeAction, {
      cookie: owner.cookie,
      form: { _workspace: b },
      headers: { "HX-Request": "true", "X-Workspace": b },
    });
    expect(removed.status).toBe(303);
    expect(await roleIn(b, colleague.userId)).toBeNull();
    expect(await auditEntries(b, "member.removed")).toHaveLength(1);
  });

  it("a request without a marker (a script, no JavaScript) works as before", async () => {
    const { owner, colleague, a, b, removeAction } = await staleTeamPageOfA();
    const removed = await send(removeAction, { cookie: owner.cookie, form: {} });
    expect(removed.status).toBe(303);
    expect(await roleIn(b, colleague.userId)).toBeNull();
    expect(await roleIn(a, colleague.userId)).toBe("member");
  });

  it("a record form carrying the current workspace's marker saves as before (the field is taken out before routes)", async () => {
    const { owner, b } = await twoWorkspaces();
    const res = await send("/app/contacts", {
      cookie: owner.cookie,
      form: { first_name: "Grace", last_name: "Hopper", _workspace: b },
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const contact = await env.DB.prepare(
      "SELECT tenant_id AS tenantId FROM contacts WHERE first_name = 'Grace' AND tenant_id = ?",
    )
      .bind(b)
      .first<{ tenantId: string }>();
    expect(contact?.tenantId).toBe(b);
  });

  it("switching, and creating a workspace, work from a stale page: they are the way back", async () => {
    const { owner, a, b, marker } = await staleTeamPageOfA();
    // The session is in B; A's page (marker A) switches to A, as the refusal page's button does.
    const back = await send("/app/workspaces/switch", {
      cookie: owner.cookie,
      form: { tenant_id: a, next: "/app/settings/team", _workspace: b },
      headers: { "X-Workspace": b },
    });
    expect(back.status).toBe(303);
    expect(back.headers.get("Location")).toBe("/app/settings/team");
    expect(markerOf(await textOf("/app/settings/team", { cookie: owner.cookie }))).toBe(a);
    await switchTo(owner.cookie, b);
    const created = await send("/app/workspaces", {
      cookie: owner.cookie,
      form: { name: "Gamma Tabs", _workspace: marker },
    });
    expect(created.status).toBe(303);
  });

  it("reads are not checked, and a page's GET forms carry nothing of it", async () => {
    const { owner, b, marker } = await staleTeamPageOfA();
    const list = await send("/app/contacts?q=x", { cookie: owner.cookie, headers: { "X-Workspace": marker } });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(markerOf(html)).toBe(b);
    // The marker is one hidden element, never a field of a form (GET forms would put it in their URLs).
    expect(html).not.toContain("_workspace");
    expect(html.match(/data-workspace=/g)).toHaveLength(1);
    const signedOut = await textOf("/login");
    expect(signedOut).not.toContain("ct-workspace");
  });

  it("a marker naming a workspace the user is not in says only 'another workspace', with no way to switch there", async () => {
    const { owner, colleague, b, removeAction } = await staleTeamPageOfA();
    const stranger = await verifiedOwner("Stranger Tabs");
    const res = await send(removeAction, { cookie: owner.cookie, form: { _workspace: stranger.tenantId } });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain("This page was open in <strong>another workspace</strong>");
    expect(page).not.toContain("Stranger Tabs");
    expect(page).not.toContain(`value="${stranger.tenantId}"`);
    expect(await roleIn(b, colleague.userId)).toBe("member");
  });

  it("an import upload from A's page after the switch to B is refused and stores nothing in B", async () => {
    const { owner, a, b } = await staleTeamPageOfA();
    const jobs = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM import_jobs WHERE tenant_id = ?")
        .bind(b)
        .first<{ n: number }>())!.n;
    const before = await jobs();
    const upload = (marker: string) => {
      const form = new FormData();
      form.set("_workspace", marker);
      form.set("kind", "contacts");
      form.set("encoding", "auto");
      form.set("file", new File(["email,first_name\nada@example.com,Ada\n"], "c.csv", { type: "text/csv" }));
      return send("/app/import", { method: "POST", body: form, cookie: owner.cookie });
    };
    const stale = await upload(a);
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("Nothing was changed.");
    expect(await jobs()).toBe(before);
    // From a page of B, the same upload goes through.
    expect((await upload(b)).status).toBe(303);
    expect(await jobs()).toBe(before + 1);
  });
});
