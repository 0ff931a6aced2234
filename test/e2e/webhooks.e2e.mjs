// Webhooks in chromium: an owner adds an endpoint from Settings → Webhooks (axe clean), reveals its secret,
// sends a test event, and a local receiver gets it signed so that the Standard Webhooks library verifies it;
// the delivery log then says it succeeded. On a phone, a long endpoint URL never makes a page wider than it.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import {
  WAIT_MS,
  assertNoProblems,
  axeViolations,
  confirmEmailFromMail,
  openNewAccountPage,
  waitForPath,
} from "./helpers.mjs";

/** A local receiver that answers 200 and keeps what it got. */
async function receiver() {
  const got = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("thanks");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { got, url: `http://127.0.0.1:${server.address().port}/hooks`, close: () => server.close() };
}

export default {
  async "an owner adds an endpoint, and its test event arrives signed"({ baseUrl, browser }) {
    const hooks = await receiver();
    try {
      const { page, problems, context, email } = await openNewAccountPage(browser, baseUrl, {
        company: "Webhooks E2E Ltd",
      });
      // Endpoints outlive a password reset, so they take a confirmed address: the owner confirms it from the mail.
      await confirmEmailFromMail(page, baseUrl, email);
      await page.goto(`${baseUrl}/app/settings/profile`);
      await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }).click();
      await waitForPath(page, "/app/settings/webhooks");
      assert.deepEqual(await axeViolations(page), [], "axe on the webhooks page");

      await page.getByLabel("URL", { exact: true }).fill(hooks.url);
      await page.getByLabel("Description (optional)").fill("The e2e receiver");
      await page.getByRole("button", { name: "Add endpoint" }).click();
      await page.waitForURL(/\/app\/settings\/webhooks\/[a-z2-7]{24}\?notice=created$/, {
        timeout: WAIT_MS,
        waitUntil: "commit",
      });
      await page.getByText("Endpoint added.").waitFor();
      await page.getByRole("button", { name: "Reveal signing secret" }).click();
      const secret = (await page.locator("#signing-secret").textContent()).trim();
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);

      await page.getByRole("button", { name: "Send test event" }).click();
      await page.getByText("Test event queued.").waitFor();
      const until = Date.now() + WAIT_MS * 3;
      while (hooks.got.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      assert.equal(hooks.got.length, 1, "the receiver got the test event");
      const event = new Webhook(secret).verify(hooks.got[0].body, hooks.got[0].headers);
      assert.equal(event.type, "webhook.test");

      // The log says so once the attempt is recorded.
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        await page.reload();
        if ((await page.getByRole("cell", { name: /Succeeded/ }).count()) > 0) break;
        assert.ok(Date.now() < deadline, "the delivery log shows the success");
        await new Promise((r) => setTimeout(r, 300));
      }
      await page.getByRole("cell", { name: "200 thanks" }).waitFor();
      assert.deepEqual(await axeViolations(page), [], "axe on the endpoint page");

      // On a phone, an endpoint's long URL (as Zapier-like services hand out) wraps: no page is wider than it.
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${baseUrl}/app/settings/webhooks`);
      await page.getByLabel("URL", { exact: true }).fill(`${hooks.url}/catch/${"a1b2c3d4e5".repeat(12)}/`);
      await page.getByRole("button", { name: "Add endpoint" }).click();
      await page.getByText("Endpoint added.").waitFor();
      const wider = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.equal(await wider(), 0, "the endpoint page on a phone");
      await page.getByRole("link", { name: "Delete" }).click();
      await page.getByRole("heading", { name: "Delete this endpoint?" }).waitFor();
      assert.equal(await wider(), 0, "the delete page on a phone");
      await page.goto(`${baseUrl}/app/settings/webhooks`);
      assert.equal(await wider(), 0, "the endpoints list on a phone");
      // The API reference a receiver's developer opens next: its curl sample scrolls in its own box.
      await page.goto(`${baseUrl}/api/v1/docs`);
      await page.getByRole("heading", { level: 1, name: "API reference" }).waitFor();
      assert.equal(await wider(), 0, "the API reference on a phone");
      // Its curl sample scrolls sideways there, so a keyboard must be able to reach it (axe's scrollable region).
      assert.deepEqual(await axeViolations(page), [], "axe on the API reference on a phone");
      assertNoProblems(problems);
      await context.close();
    } finally {
      hooks.close();
    }
  },
};
