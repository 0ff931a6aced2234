// The development cron tick: `npm run dev` fires POST /dev/cron every minute (scripts/dev-tick.mjs),
// and the app runs exactly what its Cron Trigger runs (src/cron.ts). Here a verification email whose
// first delivery the mail provider refused is delivered by the tick, seen in the development outbox.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { tick } from "../../scripts/dev-tick.mjs";
import { WAIT_MS, assertNoProblems, openNewAccountPage, uniqueEmail } from "./helpers.mjs";

async function waitUntil(check, what) {
  const until = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The status line of the newest outbox entry to `to`, as /dev/mail shows it. */
async function outboxStatus(page, baseUrl, to) {
  await page.goto(`${baseUrl}/dev/mail`, { waitUntil: "domcontentloaded" });
  const item = page.locator("article.mail-item", { has: page.locator(".mail-to", { hasText: to }) }).first();
  return (await item.locator("dt", { hasText: "Status" }).locator("xpath=following-sibling::dd[1]").innerText()).trim();
}

function recorder() {
  const out = { lines: [], errors: [] };
  return { out, log: { log: (l) => out.lines.push(l), error: (l) => out.errors.push(l) } };
}

// The cron runs over every workspace and at a later time: it runs after the side-by-side tests (scripts/e2e.mjs).
export const serial = true;

export default {
  async "a mail whose first delivery failed is delivered by the development tick"({ baseUrl, browser, mailStub }) {
    const email = uniqueEmail(mailStub.firstTryFails);
    const { context, page, problems } = await openNewAccountPage(browser, baseUrl, {
      email,
      company: "Second Try Ltd",
    });
    // The verification email was sent right after sign-up, and the provider refused it.
    await waitUntil(() => mailStub.attemptsTo(email).length === 1, "the first delivery attempt");
    assert.equal(mailStub.deliveredTo(email).length, 0);
    assert.match(await outboxStatus(page, baseUrl, email), /^pending, 1 attempt — mail provider answered 503$/);

    // Its retry is due a minute after the failure: a tick now leaves it, and says nothing.
    const quiet = recorder();
    assert.equal((await tick(baseUrl, { log: quiet.log })).ok, true);
    assert.equal(mailStub.deliveredTo(email).length, 0);
    assert.deepEqual(quiet.out, { lines: [], errors: [] });

    // The tick a minute later, as `npm run dev` fires it, delivers it and says so.
    const busy = recorder();
    const result = await tick(baseUrl, { time: Date.now() + 61_000, log: busy.log });
    assert.equal(result.ok, true, JSON.stringify(result.report));
    assert.ok(result.report.did.mail.sent >= 1);
    assert.equal(mailStub.deliveredTo(email).length, 1);
    assert.deepEqual(busy.out.errors, []);
    assert.match(busy.out.lines.join("\n"), /^· cron tick: mail \d+ sent, 0 to retry, 0 given up$/m);
    assert.match(await outboxStatus(page, baseUrl, email), /^sent, 2 attempts/);
    assertNoProblems(problems);
    await context.close();
  },

  async "a tick whose cron part failed prints the failure in the dev log"({ baseUrl }) {
    // The app's /dev/cron answers 500 with the failed parts; this stands in for it to check what the log says.
    const server = createServer((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          ok: false,
          time: 0,
          did: {},
          failures: [{ part: "retention", error: "D1_ERROR: no such table" }],
        }),
      );
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const failing = recorder();
      const result = await tick(`http://127.0.0.1:${server.address().port}`, { log: failing.log });
      assert.equal(result.ok, false);
      assert.deepEqual(failing.out.errors, ["✗ cron tick failed: retention: D1_ERROR: no such table"]);
    } finally {
      server.close();
    }
    // And the real app refuses the tick's clock when it is not a time.
    const res = await fetch(`${baseUrl}/dev/cron?time=soon`, { method: "POST", headers: { Origin: baseUrl } });
    assert.equal(res.status, 400);
  },
};
