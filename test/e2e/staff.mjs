// A staff member as an operator brings one in: created with `npm run ops -- create-staff` against the running app,
// enrolled from the link (password and authenticator), then signed in to /staff with the app's code.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP, generateTOTP } from "@oslojs/otp";
import { E2E_OPS_TOKEN, PASSWORD, WAIT_MS, openPage, uniqueEmail } from "./helpers.mjs";

/** The bootstrap an operator runs: the documented command, against the running app. */
function createStaff(baseUrl, email, role) {
  const run = spawnSync(
    process.execPath,
    [join("scripts", "ops.mjs"), "create-staff", email, "--name", "Alex", "--role", role],
    {
      env: { ...process.env, OPS_URL: baseUrl, OPS_TOKEN: E2E_OPS_TOKEN },
      encoding: "utf8",
    },
  );
  assert.equal(run.status, 0, run.stderr);
  return new URL(JSON.parse(run.stdout).enrol_link).pathname;
}

/** The code of the next 30-second step, as the authenticator will show it in a moment. */
function nextCode(key) {
  return generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + 1), 6);
}

/** A new staff member of `role`, enrolled and signed in: their page is on /staff. */
export async function signedInStaff(browser, baseUrl, role) {
  const email = uniqueEmail("staff");
  const enrolPath = createStaff(baseUrl, email, role);
  const opened = await openPage(browser);
  const s = opened.page;
  await s.goto(`${baseUrl}${enrolPath}`);
  const key = decodeBase32IgnorePadding((await s.locator("code.totp-secret").textContent()).trim());
  await s.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await s.getByLabel("Authenticator code").fill(generateTOTP(key, 30, 6));
  await s.getByRole("button", { name: "Finish setting up" }).click();
  // count() does not wait: the page with the codes must have arrived first.
  await s.locator(".recovery-codes li").first().waitFor({ timeout: WAIT_MS });
  assert.equal(await s.locator(".recovery-codes li").count(), 10);
  await s.getByRole("link", { name: "Sign in" }).click();
  await s.getByLabel("Email").fill(email);
  await s.getByLabel("Password", { exact: true }).fill(PASSWORD);
  // Each code is good once: the sign-in uses the next 30-second step's code, which the window accepts.
  await s.getByLabel("Authenticator code").fill(nextCode(key));
  await s.getByRole("button", { name: "Sign in" }).click();
  await s.waitForURL(`${baseUrl}/staff`, { timeout: WAIT_MS });
  return { ...opened, email };
}
