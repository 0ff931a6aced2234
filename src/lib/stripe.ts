/**
 * The Stripe client and the plans, built from configuration. Everything about plans (limits, trial,
 * price ids, displayed prices) is read here and nowhere else.
 */
import Stripe from "stripe";
import type { Bindings } from "../env";

/**
 * The API version this SDK release was built for. Pinned so that a Stripe dashboard upgrade never
 * changes the shape of what we read (period dates, for one, moved to subscription items); the type
 * makes an SDK bump that changes it fail the typecheck until this line is revisited.
 */
export const STRIPE_API_VERSION: Stripe.LatestApiVersion = "2026-10-28.endive";

/** How long a signed webhook stays acceptable, in seconds (Stripe's default, stated explicitly). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * A Stripe client for this environment, or null when billing is not configured (no secret key).
 * It uses fetch and the SubtleCrypto provider, the two that exist in workerd. STRIPE_API_HOST/PORT/
 * PROTOCOL exist only so tests can point the real SDK at a local fake.
 */
export function stripeFromEnv(env: Bindings): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const port = env.STRIPE_API_PORT ? Number(env.STRIPE_API_PORT) : undefined;
  return new Stripe(env.STRIPE_SECRET_KEY, {
    apiVersion: STRIPE_API_VERSION,
    httpClient: Stripe.createFetchHttpClient(),
    // Requests run inside a user's request: fail within seconds rather than hold the page.
    timeout: 10_000,
    maxNetworkRetries: 1,
    telemetry: false,
    ...(env.STRIPE_API_HOST ? { host: env.STRIPE_API_HOST } : {}),
    ...(port && Number.isInteger(port) ? { port } : {}),
    ...(env.STRIPE_API_PROTOCOL === "http" ? { protocol: "http" as const } : {}),
  });
}

/** Web Crypto's HMAC for webhook signatures: async, hence constructEventAsync; the sync variant needs node:crypto. */
export const webhookCryptoProvider = Stripe.createSubtleCryptoProvider();

export type BillingInterval = "monthly" | "yearly";

export interface BillingConfig {
  /** True when checkout and the portal can work: a secret key and both price ids. */
  configured: boolean;
  /**
   * The Free plan's limits, or null when billing is not configured: a server that sells no plans
   * (local development, a self-hosted install) holds nobody to limits they could not lift.
   */
  limits: { seats: number; contacts: number } | null;
  freeMaxSeats: number;
  freeMaxContacts: number;
  trialDays: number;
  prices: Record<BillingInterval, string | null>;
  /** What the pricing table shows for Team; Stripe's price decides what is charged. */
  displayPrices: Record<BillingInterval, string>;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isSafeInteger(n) && n >= 0 ? n : fallback;
}

/** The plans as configured: wrangler.toml [vars] with defaults matching it, so a missing var never breaks a page. */
export function billingConfig(env: Bindings): BillingConfig {
  const prices = { monthly: env.STRIPE_PRICE_MONTHLY || null, yearly: env.STRIPE_PRICE_YEARLY || null };
  const configured = Boolean(env.STRIPE_SECRET_KEY && prices.monthly && prices.yearly);
  const freeMaxSeats = positiveInt(env.FREE_MAX_SEATS, 2);
  const freeMaxContacts = positiveInt(env.FREE_MAX_CONTACTS, 1000);
  return {
    configured,
    limits: configured ? { seats: freeMaxSeats, contacts: freeMaxContacts } : null,
    freeMaxSeats,
    freeMaxContacts,
    trialDays: positiveInt(env.TRIAL_DAYS, 14),
    prices,
    displayPrices: {
      monthly: env.TEAM_PRICE_MONTHLY_DISPLAY || "$29",
      yearly: env.TEAM_PRICE_YEARLY_DISPLAY || "$290",
    },
  };
}

/** The interval a Stripe price id stands for, or null for a price we do not sell (any more). */
export function intervalOfPrice(config: BillingConfig, priceId: string | null): BillingInterval | null {
  if (!priceId) return null;
  if (priceId === config.prices.monthly) return "monthly";
  if (priceId === config.prices.yearly) return "yearly";
  return null;
}
