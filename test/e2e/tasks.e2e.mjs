// Tasks in chromium: the board's card links to a new task for its deal; on a deal's page, `t` opens the task form; a task typed and submitted with the
// keyboard appears in the record's Tasks panel; Enter on its Done button completes it, Undo brings it
// back; the tasks page lists it under Today and the navigation's badge counts it; the development cron
// tick (what `npm run dev` fires each minute) sends the reminder chosen on its full form, and the header's bell
// shows it; on the tasks page one click completes it there too. Enter in the bulk bar's date field reschedules.
// A task written on the tasks page is linked to a contact through the form's search.
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
    // The answer is said aloud, and the form stays open, blank, with the focus in its title for the next task.
    await page.waitForFunction(() => document.getElementById("live-announce")?.textContent === "Task added.", null, {
      timeout: WAIT_MS,
    });
    const added = panel.getByLabel("Task", { exact: true });
    await page.waitForFunction(() => document.activeElement?.id === "task-title", null, { timeout: WAIT_MS });
    assert.equal(await added.evaluate((el) => el === document.activeElement && el.closest("details").open), true);
    assert.equal(await added.inputValue(), "");

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

    // The short form sets no reminder; one chosen on the full form ("at the time": 08:00 on the day, in the
    // assignee's zone, for a task without a time) goes out on a tick later today.
    await today.getByRole("link", { name: "Call back about pricing" }).click();
    await page.waitForURL(/\/app\/tasks\/\d+\/edit$/, { timeout: WAIT_MS });
    const reminder = page.getByLabel("Reminder", { exact: true });
    assert.equal(await reminder.inputValue(), "");
    await reminder.selectOption("0");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL((url) => !url.pathname.endsWith("/edit"), { timeout: WAIT_MS, waitUntil: "commit" });
    const quiet = { log: () => {}, error: () => {} };
    const result = await tick(baseUrl, { time: Date.now() + 16 * 3_600_000, log: quiet });
    assert.equal(result.ok, true, JSON.stringify(result.report));
    await page.reload();
    await page.waitForFunction(
      () =>
        (document.querySelector("a.bell .visually-hidden:last-child")?.textContent ?? "").trim() ===
        "1 unread notification",
      null,
      { timeout: WAIT_MS },
    );
    await page.getByRole("link", { name: /^Notifications:/ }).click();
    await page
      .getByText(/Call back about pricing/)
      .first()
      .waitFor({ timeout: WAIT_MS });
    assertNoProblems(problems);
    await context.close();
  },

  async "Enter in the bulk bar's date field reschedules the selected tasks, and never completes them"({
    baseUrl,
    browser,
  }) {
    const { context, page, problems } = await openPage(browser);
    await signUpByRequest(context, page, baseUrl, { company: "Bulk Dates Ltd" });
    for (const title of ["Send the quote", "Chase the invoice"]) {
      const made = await appPost(context.request, `${baseUrl}/app/tasks`, {
        form: { title, due_date: "2031-03-03" },
        headers: { Origin: baseUrl },
        maxRedirects: 0,
      });
      assert.equal(made.status(), 303);
    }
    await page.goto(`${baseUrl}/app/tasks`);
    const bar = page.getByRole("form", { name: "Selected tasks" });
    const date = bar.getByLabel("Due on");
    const row = (title) => page.locator("li.task", { hasText: title });

    // Enter with no date: asked for one; nothing completed.
    await page.getByRole("checkbox", { name: "Select Send the quote" }).check();
    await date.press("Enter");
    await page.getByText("Enter the new due date").waitFor({ timeout: WAIT_MS });
    await page.goto(`${baseUrl}/app/tasks`);
    assert.equal(await row("Send the quote").locator("s").count(), 0, "still open");

    // A date typed, then Enter: the selected task moves to it, still open; the other stays.
    await page.getByRole("checkbox", { name: "Select Send the quote" }).check();
    await date.fill("2031-04-15");
    await date.press("Enter");
    await page.getByText("1 task rescheduled.").waitFor({ timeout: WAIT_MS });
    const moved = row("Send the quote");
    assert.equal(await moved.locator("time").getAttribute("datetime"), "2031-04-15");
    assert.equal(await moved.locator("s").count(), 0, "not completed");
    assert.equal(await row("Chase the invoice").locator("time").getAttribute("datetime"), "2031-03-03");
    const done = page.locator("section.task-section", { has: page.getByRole("heading", { name: /^Done/ }) });
    await done.getByText("Nothing done yet.").waitFor({ timeout: WAIT_MS });
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
