// Two tabs of one browser share one session: a form left open in workspace A, after the other tab moved the session
// to a new workspace B, is refused with a message instead of saving into B (src/middleware/page-workspace.tsx; the
// marker is sent by assets-src/app.js). The refusal's button goes back to A and the same page, where it saves.
import assert from "node:assert/strict";
import { assertNoProblems, openNewAccountPage, waitForPath } from "./helpers.mjs";

export default {
  async "a form of workspace A, sent after another tab switched to B, is refused and saves nothing in B"({
    baseUrl,
    browser,
  }) {
    const suffix = Date.now().toString(36);
    const alpha = `Alpha Tabs ${suffix}`;
    const beta = `Beta Tabs ${suffix}`;
    const first = await openNewAccountPage(browser, baseUrl, { company: alpha });
    const tab1 = first.page;
    await tab1.goto(`${baseUrl}/app/contacts/new`);
    await tab1.getByLabel("First name").fill("Stale");
    await tab1.getByLabel("Last name").fill(`Tab ${suffix}`);

    // The second tab creates a workspace: the session (both tabs') now works in it.
    const tab2 = await first.context.newPage();
    await tab2.goto(`${baseUrl}/app/workspaces`);
    await tab2.getByLabel("Workspace name").fill(beta);
    await tab2.getByRole("button", { name: "Create workspace" }).click();
    await waitForPath(tab2, "/app");
    await tab2.getByRole("heading", { name: beta }).waitFor();

    await tab1.getByRole("button", { name: "Create contact" }).click();
    await tab1.getByRole("heading", { name: "This page belongs to another workspace" }).waitFor();
    const message = await tab1.getByRole("alert").innerText();
    assert.match(message, new RegExp(`This page was open in ${alpha}; you are now working in ${beta}`));
    assert.match(message, /Nothing was changed\./);
    await tab2.goto(`${baseUrl}/app/contacts?q=Stale`);
    assert.equal(await tab2.getByRole("link", { name: `Stale Tab ${suffix}` }).count(), 0, "the contact went into B");

    // Back to A, on the same page, where the form saves.
    await tab1.getByRole("button", { name: `Switch back to ${alpha}` }).click();
    await waitForPath(tab1, "/app/contacts/new");
    await tab1.getByLabel("First name").fill("Stale");
    await tab1.getByLabel("Last name").fill(`Tab ${suffix}`);
    await tab1.getByRole("button", { name: "Create contact" }).click();
    await tab1.getByRole("heading", { name: `Stale Tab ${suffix}` }).waitFor();
    assertNoProblems(first.problems);
    await first.context.close();
  },
};
