// Tasks in chromium: the board's card links to a new task for its deal; on a deal's page, `t` opens the task form; a task typed and submitted with the
// keyboard appears in the record's Tasks panel; Enter on its Done button completes it, Undo brings it
// back; the tasks page lists it under Today and the navigation's badge counts it; the development cron
// tick (what `npm run dev` fires each minute) sends its reminder, and the header's bell shows it; on
// the tasks page one click completes it there too. A task written on the tasks page is linked to a contact
// through the form's search.
import assert from "node:assert/strict";
import { tick } from "../../scripts/dev-tick.mjs";
import { WAIT_MS, appPost, assertNoProblems, axeViolations, openPage, signUpByRequest } from "./helpers.mjs";

export default {
  async "a task made with the keyboard, completed and undone"({ baseUrl, browser }) {
    const { context, page, problems } = await openPage(browser);
    await signUpByRequest(context, page, baseUrl, { company: "Follow-up Ltd" });
    await page.goto(`${baseUrl}/app/deals/new`);
    await page.getByLabel("Name", { exact: true }).fill("Keyboard deal");
    await page.getByRole("button", { name: "Create deal" }).click();
    await page.waitForURL(/\/app\/deals\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    const dealPath = new URL(page.url()).pathname;

    // The board's card offers a task for its deal: the form opens linked to it.
    await page.goto(`${baseUrl}/app/deals`);
    await page.getByRole("link", { name: "Add a task for Keyboard deal" }).click();
    await page.waitForURL(/\/app\/tasks\/new\?record=deal:\d+$/, { timeout: WAIT_MS });
    const linked = page.getByRole("combobox", { name: "Linked to (optional)" });
    await linked.waitFor({ timeout: WAIT_MS });
    assert.equal(await linked.inputValue(), "Keyboard deal");
    await page.goto(baseUrl + dealPath);
    const panel = page.locator("#record-tasks");
    await panel.getByText("No tasks yet.").waitFor({ timeout: WAIT_MS });

    // `t` opens the form with the title focused; the rest is typed, Enter submits.
    await page.locator("body").press("t");
    const title = panel.getByLabel("Task", { exact: true });
    await title.waitFor({ timeout: WAIT_MS });
    assert.equal(await title.evaluate((el) => el === document.activeElement), true, "t focuses the task's title");
    await page.keyboard.type("Call back about pricing");
    await page.keyboard.press("Enter");
    const item = panel.locator("li.task", { hasText: "Call back about pricing" });
    await item.waitFor({ timeout: WAIT_MS });

    // Complete with the keyboard, then Undo.
    await item.getByRole("button", { name: /Done: Call back about pricing/ }).focus();
    await page.keyboard.press("Enter");
    const undo = panel.getByRole("button", { name: /Undo: Call back about pricing/ });
    await undo.waitFor({ timeout: WAIT_MS });
    await undo.click();
    await panel.getByRole("button", { name: /Done: Call back about pricing/ }).waitFor({ timeout: WAIT_MS });

    // It is due today: on the tasks page under Today, and the badge counts it.
    await page.goto(`${baseUrl}/app/tasks`);
    const today = page.locator("section.task-section", { has: page.getByRole("heading", { name: /^Today/ }) });
    await today.getByText("Call back about pricing").waitFor({ timeout: WAIT_MS });
    await page.locator(".nav-badge .badge").waitFor({ timeout: WAIT_MS });
    assert.match(await page.locator(".nav-badge").innerText(), /^1/);

    // A task due on a day reminds at 08:00 in the assignee's zone: a tick later today sends it.
    const quiet = { log: () => {}, error: () => {} };
    const result = await tick(baseUrl, { time: Date.now() + 16 * 3_600_000, log: quiet });
    assert.equal(result.ok, true, JSON.stringify(result.report));
    await page.reload();
    await page.waitForFunction(
      () =>
        (document.querySelector("a.bell .visually-hidden:last-child")?.textContent ?? "").trim() ===
        "1 unread reminder",
      null,
      { timeout: WAIT_MS },
    );
    await page.getByRole("link", { name: /^Reminders:/ }).click();
    await page
      .getByText(/Call back about pricing/)
      .first()
      .waitFor({ timeout: WAIT_MS });
    assertNoProblems(problems);
    await context.close();
  },

  async "a task written on the tasks page, linked by searching for the contact it is about"({ baseUrl, browser }) {
    const { context, page, problems } = await openPage(browser);
    await signUpByRequest(context, page, baseUrl, { company: "Linked Tasks Ltd" });
    const made = await appPost(context.request, `${baseUrl}/app/contacts`, {
      form: { first_name: "Augusta", last_name: "Lovelace" },
      headers: { Origin: baseUrl },
      maxRedirects: 0,
    });
    assert.equal(made.status(), 303);
    const contactPath = made.headers().location;
    await page.goto(`${baseUrl}/app/tasks/new`);
    await page.getByLabel("Task", { exact: true }).fill("Send Augusta the notes");
    const record = page.getByRole("combobox", { name: "Linked to (optional)" });
    await record.click();
    await record.pressSequentially("lovel");
    await page.getByRole("option", { name: /Augusta Lovelace · Contact/ }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await axeViolations(page), [], "axe with the record options open");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    assert.equal(await record.inputValue(), "Augusta Lovelace");
    await page.getByRole("button", { name: "Add task" }).click();
    await page.waitForURL((url) => !url.pathname.endsWith("/new"), { timeout: WAIT_MS, waitUntil: "commit" });
    await page.goto(baseUrl + contactPath);
    await page.locator("#record-tasks").getByText("Send Augusta the notes").waitFor({ timeout: WAIT_MS });
    assertNoProblems(problems);
    await context.close();
  },
};
