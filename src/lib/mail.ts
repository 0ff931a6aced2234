import type { Context } from "hono";
import type { AppEnv } from "../env";
import { senderFromEnv } from "../mail/senders";
import { deliverDue } from "../services/mail/outbox";

/** The origin links in emails point to: APP_URL when set, else this request's origin. No trailing slash. */
export function appBaseUrl(c: Context<AppEnv>): string {
  return new URL(c.env.APP_URL || c.req.url).origin;
}

/**
 * Tries to deliver just-queued mail right after the response. Best effort: whatever fails here is
 * retried by the scheduled sweep, since the outbox row is already committed. Mail written with a workspace's
 * records is in its database's outbox (docs/scale.md, "Routing", item 11): both are asked for the ids.
 */
export function deliverSoon(c: Context<AppEnv>, ids: string[]): void {
  if (ids.length === 0) return;
  const records = c.get("recordsDb");
  for (const db of records ? [c.get("db"), records] : [c.get("db")])
    c.executionCtx.waitUntil(
      deliverDue(db, senderFromEnv(c.env), Date.now(), { ids }).catch((err: unknown) =>
        console.error(JSON.stringify({ type: "mail_error", error: String(err).slice(0, 300) })),
      ),
    );
}
