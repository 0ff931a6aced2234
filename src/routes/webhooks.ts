/**
 * POST /webhooks/stripe. Mounted in src/app.ts before the CSRF check, the database and session
 * middleware: Stripe sends no Origin and no cookie, and proves itself with a signature over the raw
 * body instead. Nothing is read or written before that signature checks out.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createDb } from "../db/client";
import type { AppEnv } from "../env";
import { errorText } from "../lib/error-text";
import { deliverSoon, appBaseUrl } from "../lib/mail";
import { stripeFromEnv, WEBHOOK_TOLERANCE_SECONDS, webhookCryptoProvider } from "../lib/stripe";
import { mirrorAfterChange } from "../services/shards/mirror";
import { applyStripeEvent, wellFormedStripeEvent } from "../services/billing/webhook-events";

/** Stripe's event payloads are small; this is generous and still bounds what we buffer. */
const MAX_WEBHOOK_BYTES = 512 * 1024;

export const webhookRoutes = new Hono<AppEnv>();

/** The `t=` (seconds) of a Stripe-Signature header, already verified by the SDK. */
function signedAt(header: string): number {
  const t = header.split(",").find((part) => part.trim().startsWith("t="));
  return Number(t?.trim().slice(2));
}

webhookRoutes.post(
  "/stripe",
  bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: (c) => c.json({ error: "payload too large" }, 413) }),
  async (c) => {
    c.header("Cache-Control", "no-store");
    const stripe = stripeFromEnv(c.env);
    const secret = c.env.STRIPE_WEBHOOK_SECRET;
    // 503, not 4xx: Stripe keeps retrying for days, so events sent before the secret is set are not lost.
    if (!stripe || !secret) return c.json({ error: "billing is not configured" }, 503);

    const signature = c.req.header("Stripe-Signature");
    if (!signature) return c.json({ error: "missing signature" }, 400);
    // The exact bytes Stripe signed: parsing and re-serialising JSON would change them.
    const raw = new Uint8Array(await c.req.arrayBuffer());
    let verified: unknown;
    try {
      verified = await stripe.webhooks.constructEventAsync(
        raw,
        signature,
        secret,
        WEBHOOK_TOLERANCE_SECONDS,
        webhookCryptoProvider,
      );
    } catch {
      return c.json({ error: "invalid signature" }, 400);
    }
    // The SDK refuses timestamps older than the tolerance; one as far in the future is refused too.
    if (signedAt(signature) - Date.now() / 1000 > WEBHOOK_TOLERANCE_SECONDS)
      return c.json({ error: "invalid signature" }, 400);
    const event = wellFormedStripeEvent(verified);
    if (!event) return c.json({ error: "malformed event" }, 400);

    // Billing pages must be current, so this request reads and writes the primary.
    const db = createDb(c.env.DB.withSession("first-primary"));
    c.set("db", db);
    const result = await applyStripeEvent(db, stripe, event, { now: Date.now(), baseUrl: appBaseUrl(c) });
    console.log(
      JSON.stringify({
        type: "stripe_webhook",
        requestId: c.get("requestId"),
        event: event.id,
        eventType: event.type,
        ...result,
        mailIds: undefined,
      }),
    );
    if (result.outcome === "applied") deliverSoon(c, result.mailIds);
    // Plan limits are checked beside the records: a workspace on a shard gets its new plan state there. The event's
    // batch marked that copy stale, so if this fails the cron copies it: the event is applied, and Stripe's retry
    // would only be a duplicate.
    if (result.outcome === "applied" && result.changed)
      await mirrorAfterChange(c.env, [result.tenantId]).catch((err: unknown) =>
        console.error(JSON.stringify({ type: "people_mirror_failed", tenant: result.tenantId, error: errorText(err) })),
      );
    // The outcome (and why an event was ignored) shows in Stripe's delivery log, for operators.
    return c.json({
      received: true,
      outcome: result.outcome,
      ...(result.outcome === "ignored" ? { reason: result.reason } : {}),
    });
  },
);
