/** Staff for tests: created through /ops/staff, enrolled through the link, signed in through the form. */
import { env } from "cloudflare:workers";
import { totpCodeAt } from "../../src/auth/totp";
import { cookieHeader, GOOD_PASSWORD, send, uniqueEmail } from "../helpers/http";

export const OPS_ENV = { OPS_TOKEN: "t".repeat(40) };

export interface TestStaff {
  id: string;
  email: string;
  name: string;
  cookie: string;
  recoveryCodes: string[];
}

/** The TOTP key of a staff member, as their authenticator app holds it. */
export async function totpKeyOf(email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT totp_key FROM staff WHERE email = ?")
    .bind(email)
    .first<{ totp_key: string }>();
  return row!.totp_key;
}

/** Lets the next sign-in use the current code again (each code is good once; tests sign in often). */
export async function forgetLastCode(email: string): Promise<void> {
  await env.DB.prepare("UPDATE staff SET totp_last_step = NULL WHERE email = ?").bind(email).run();
}

export async function createStaffLink(
  role: "support" | "billing" | "admin",
  name: string,
  email = uniqueEmail("staff"),
) {
  const res = await send("/ops/staff", {
    method: "POST",
    headers: { Authorization: `Bearer ${OPS_ENV.OPS_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ email, name, role }),
    env: OPS_ENV,
  });
  if (res.status !== 201) throw new Error(`create-staff: ${res.status} ${await res.text()}`);
  const { id, enrol_link } = (await res.json()) as { id: string; enrol_link: string };
  return { id, email, path: new URL(enrol_link).pathname };
}

export async function staffSignIn(email: string, code: string, password = GOOD_PASSWORD) {
  const res = await send("/staff/login", { form: { email, password, code } });
  return { response: res, cookie: cookieHeader(res) };
}

/** A staff member of `role`, enrolled, with a signed-in console cookie. */
export async function newStaff(role: "support" | "billing" | "admin", name = `Alex ${role}`): Promise<TestStaff> {
  const link = await createStaffLink(role, name);
  const key = await totpKeyOf(link.email);
  const enrolled = await send(link.path, { form: { password: GOOD_PASSWORD, code: totpCodeAt(key, Date.now()) } });
  if (enrolled.status !== 200) throw new Error(`enrol: ${enrolled.status} ${await enrolled.text()}`);
  const recoveryCodes = [...(await enrolled.text()).matchAll(/<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map(
    (m) => m[1]!,
  );
  await forgetLastCode(link.email);
  const { response, cookie } = await staffSignIn(link.email, totpCodeAt(key, Date.now()));
  if (response.status !== 303) throw new Error(`staff sign-in: ${response.status} ${await response.text()}`);
  return { id: link.id, email: link.email, name, cookie, recoveryCodes };
}

/** Gives support access from the workspace's Settings → Support access, as its owner would. */
export async function giveAccess(ownerCookie: string, access: "read" | "write", duration = "1h", ticket = "") {
  const res = await send("/app/settings/support", { cookie: ownerCookie, form: { access, duration, ticket } });
  if (res.status !== 200) throw new Error(`give access: ${res.status} ${await res.text()}`);
  const row = await env.DB.prepare("SELECT id FROM support_grants ORDER BY created_at DESC, rowid DESC LIMIT 1").first<{
    id: string;
  }>();
  return row!.id;
}
