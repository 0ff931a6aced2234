/** Helpers for the privacy-controls tests: the cron with a chosen clock, confirmed users, contacts made through the form. */
import { env } from "cloudflare:workers";
import { runCron as runWorkerCron } from "../helpers/cron";

export const DAY = 86_400_000;
/** The https origin non-essential mail links to (the one-click headers need https). */
export const APP_URL = "https://crm.example.test";

/** Runs the Worker's scheduled handler as the cron does, at `at`, with APP_URL set as in production. */
export async function runCron(at: number, bindings: Partial<Cloudflare.Env> = {}): Promise<void> {
  await runWorkerCron(at, { APP_URL, ...bindings });
}

/** Marks a user's address as confirmed (as opening the verification link does). */
export async function confirmEmail(email: string): Promise<void> {
  await env.DB.prepare("UPDATE users SET email_verified_at = ? WHERE email = ?").bind(Date.now(), email).run();
}

export async function userId(email: string): Promise<string> {
  return (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;
}

/** The email preferences row of a user, or null when they never chose. */
export async function preferencesRow(id: string) {
  return env.DB.prepare("SELECT digest, news, digest_week FROM email_preferences WHERE user_id = ?")
    .bind(id)
    .first<{ digest: number; news: number; digest_week: string | null }>();
}
