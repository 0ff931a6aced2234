// Settings → Pipelines in chromium: an owner adds a pipeline and a stage, then reorders stages and
// pipelines with the keyboard only (focus a move button, press Enter); the order survives a reload, and a move
// that cannot be made is a button that looks disabled.
// The deal list opens without script or CSP errors.
import assert from "node:assert/strict";
import { assertNoProblems, openNewAccountPage, waitForPath } from "./helpers.mjs";

async function stageNames(page, pipeline) {
  // The address bar changes before the new page is parsed, and evaluateAll does not wait: wait for its first stage.
  const stages = page.getByRole("region", { name: pipeline, exact: true }).locator("ol li");
  await stages.first().waitFor();
  return stages.evaluateAll((items) => items.map((li) => li.querySelector("input[name='name']").value));
}

export default {
  async "an owner adds a pipeline and a stage and reorders them with the keyboard"({ baseUrl, browser }) {
    const { page, problems } = await openNewAccountPage(browser, baseUrl, {
      company: `Pipes ${Date.now().toString(36)}`,
    });
    await page.goto(`${baseUrl}/app/settings/pipelines`);
    await page.getByText("Won and Lost are not stages").waitFor();

    const add = page.getByRole("region", { name: "New pipeline" });
    await add.getByLabel("Name").fill("Renewals");
    await add.getByRole("button", { name: "Add pipeline" }).click();
    await waitForPath(page, "/app/settings/pipelines", "?notice=pipeline_created");
    assert.deepEqual(await stageNames(page, "Renewals"), ["New"]);

    const renewals = page.getByRole("region", { name: "Renewals", exact: true });
    const newStage = renewals.getByRole("form", { name: "New stage in Renewals" });
    await newStage.getByRole("textbox", { name: "New stage" }).fill("Call back");
    await newStage.getByRole("textbox", { name: "Win probability (%)" }).fill("30");
    await newStage.getByRole("button", { name: "Add stage to Renewals" }).click();
    await waitForPath(page, "/app/settings/pipelines", "?notice=stage_created");
    assert.deepEqual(await stageNames(page, "Renewals"), ["New", "Call back"]);

    // Keyboard only: focus the move button and press Enter.
    await page.getByRole("button", { name: "Move stage Call back up" }).focus();
    await page.keyboard.press("Enter");
    await waitForPath(page, "/app/settings/pipelines", "?notice=stage_moved");
    await page.getByRole("button", { name: "Move pipeline Renewals up" }).focus();
    await page.keyboard.press("Enter");
    await waitForPath(page, "/app/settings/pipelines", "?notice=pipeline_moved");

    await page.reload();
    assert.deepEqual(await stageNames(page, "Renewals"), ["Call back", "New"]);
    // The first stage cannot go up: its button is disabled and must not look like the one beside it that works.
    const [up, down] = ["up", "down"].map((way) => page.getByRole("button", { name: `Move stage Call back ${way}` }));
    assert.equal(await up.isDisabled(), true);
    const look = (button) =>
      button.evaluate((b) => ["backgroundColor", "color", "cursor"].map((k) => getComputedStyle(b)[k]).join(" "));
    const [upLook, downLook] = [await look(up), await look(down)];
    assert.notEqual(upLook, downLook);
    assert.match(upLook, /not-allowed$/);
    const headings = await page.locator("section.card h2").allTextContents();
    assert.ok(headings.indexOf("Renewals") < headings.indexOf("Sales"), headings.join(", "));

    await page.goto(`${baseUrl}/app/deals/list`);
    await page.getByRole("heading", { name: "Deals" }).waitFor();
    await page.getByText("0 deals match.").waitFor();
    assertNoProblems(problems);
  },
};
