/** The billing emails, sent to a workspace's owners from Stripe's webhooks: a payment failed, the trial ends. */
import { formatInstant } from "../../views/lib/time";
import type { RenderedMail } from "../services/mail/outbox";
import { EmailButton } from "../../views/emails/EmailLayout";
import { compose } from "./messages";

const APP = "CustomerTrackr";

/** What happens next for each unpaid status: Stripe retries only a renewal that is past due. */
function nextStep(status: string, tenantName: string): { now: string; todo: string } {
  if (status === "past_due")
    return {
      now: "Stripe will try again over the next days.",
      todo: "To keep the Team plan, update your payment method under Manage billing.",
    };
  if (status === "incomplete")
    return {
      now: "It was the subscription's first payment, so the subscription has not started, and Stripe does not try again on its own.",
      todo: `To start it, pay with a working payment method under Manage billing within a day; after that the checkout lapses and you can upgrade ${tenantName} again.`,
    };
  // unpaid: Stripe's retries are over; the invoice stays open until someone pays it.
  return {
    now: "Stripe has stopped trying to collect it.",
    todo: "To get the Team plan back, update your payment method and pay the open invoice under Manage billing.",
  };
}

/**
 * Billing: Stripe could not collect a payment for the Team plan. Sent to the workspace's owner. `status` is the
 * subscription's as Stripe has it now (past_due, unpaid, incomplete): what comes next depends on it.
 */
export function paymentFailedMail(p: { tenantName: string; link: string; status: string }): RenderedMail {
  const step = nextStep(p.status, p.tenantName);
  return compose(
    "billing_payment_failed",
    true,
    `We could not collect the payment for ${p.tenantName} on ${APP}`,
    `The latest payment for the Team plan of ${p.tenantName} on ${APP} did not go through. ${step.now}\n\n` +
      `${step.todo}\n${p.link}\n\nUntil the payment succeeds, ${p.tenantName} is held to the Free plan's limits. ` +
      `Nothing is deleted: all your records stay readable and exportable.`,
    <>
      <p>
        The latest payment for the Team plan of <strong>{p.tenantName}</strong> on {APP} did not go through. {step.now}
      </p>
      <p>{step.todo}</p>
      <EmailButton href={p.link} label="Open billing settings" />
      <p>
        Until the payment succeeds, {p.tenantName} is held to the Free plan's limits. Nothing is deleted: all your
        records stay readable and exportable.
      </p>
    </>,
  );
}

/**
 * Billing: the Team trial ends in a few days (Stripe tells us three days ahead). Sent to the owner. A trial
 * cancelled meanwhile (`cancelled`) ends without a charge, and the mail says that instead.
 */
export function trialEndingMail(p: {
  tenantName: string;
  trialEnd: number;
  link: string;
  cancelled: boolean;
  /** The owner's zone and locale: the day the trial ends is their day, written their way. */
  timeZone: string;
  locale: string;
}): RenderedMail {
  const date = formatInstant(p.trialEnd, p.timeZone, "date", p.locale);
  const after = p.cancelled
    ? `You cancelled the subscription, so nothing will be charged: ${p.tenantName} returns to the Free plan then, ` +
      `keeping all its records.`
    : "After that, the subscription you chose continues and is charged to the payment method you gave at checkout.";
  const todo = p.cancelled
    ? "To keep the Team plan after all, open Manage billing."
    : "To change or cancel it, open Manage billing.";
  return compose(
    "billing_trial_ending",
    true,
    `Your ${APP} Team trial for ${p.tenantName} ends on ${date}`,
    `The Team trial of ${p.tenantName} on ${APP} ends on ${date}. ${after}\n\n${todo}\n${p.link}`,
    <>
      <p>
        The Team trial of <strong>{p.tenantName}</strong> on {APP} ends on {date}. {after}
      </p>
      <p>{todo}</p>
      <EmailButton href={p.link} label="Open billing settings" />
    </>,
  );
}
