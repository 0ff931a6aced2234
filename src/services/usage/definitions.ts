/**
 * First-party usage analytics, defined in one place: what is collected, with what, for how long. The
 * recorder, the beacon, the rollup, the retention job and the /privacy and /cookies pages all read
 * these, so what we publish is what the code collects.
 */
import type { UsageDisclosure } from "../../../views/components/UsageDisclosure";

/** The three kinds of usage point. */
export const USAGE_KINDS = ["page", "feature", "time"] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

/** Named feature events: the name, and what it means (the privacy page lists these). */
export const FEATURE_EVENTS = {
  "contact.created": "a contact added",
  "company.created": "a company added",
  "deal.created": "a deal added",
  "deal.moved": "a deal moved to another stage",
  "deal.won": "a deal marked won",
  "task.completed": "a task completed",
  "note.added": "a note added to a record",
  "interaction.logged": "a call, meeting or email logged",
  "import.committed": "an import started",
  "export.downloaded": "a record export downloaded",
  "search.used": "a search submitted (its results page opened)",
  "report.viewed": "the reports page opened",
  "member.invited": "a teammate invited",
} as const;
export type FeatureEvent = keyof typeof FEATURE_EVENTS;
export const FEATURE_EVENT_NAMES = Object.keys(FEATURE_EVENTS) as FeatureEvent[];

/** Device classes, from the browser's user agent; the user agent itself is never stored. */
export const DEVICE_CLASSES = ["desktop", "mobile", "tablet", "other"] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** Plans a point is recorded under: Free, a Team trial, or Team (paid or overdue), so a trial is not a conversion. */
export const USAGE_PLANS = ["free", "trial", "team"] as const;
export type UsagePlan = (typeof USAGE_PLANS)[number];

/**
 * How long usage data is kept: raw events, then the daily aggregates made from them. Production's raw events are
 * in Analytics Engine, which stores data three months (its limits page) and cannot delete single points: 92 days
 * is the longest three months can be, and the D1 table used elsewhere is swept at the same age.
 */
export const USAGE_RETENTION = { rawEventDays: 92, dailyAggregateMonths: 25 } as const;

/** Seconds one time-spent beacon may carry (one page's visible time since the last beacon). */
export const BEACON_SECONDS = { min: 1, max: 3600 } as const;

/** One usage point: what happened, in which workspace, by whom, on which plan, day and kind of device. */
export interface UsagePoint {
  kind: UsageKind;
  /** The route pattern (`/app/contacts/:id`) for page and time points; the event name for features. */
  name: string;
  tenantId: string;
  userId: string;
  plan: UsagePlan;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  device: DeviceClass;
  /** Visible seconds (time points); 0 otherwise. */
  seconds: number;
  /** When it was recorded (ms); raw events are deleted by it. */
  at: number;
}

// The shape is the legal pages' props (views/components/UsageDisclosure.tsx), so they render exactly this.
export type { UsageDisclosure };

/** What the privacy and cookies pages say about usage data, all of it from the definitions above. */
export function usageDisclosure(): UsageDisclosure {
  return {
    collected: [
      {
        label: "Pages viewed",
        detail:
          "which page of the app was opened, as its pattern (for example /app/contacts/:id), never its address, query or what it shows",
      },
      { label: "Features used", detail: "named actions, listed below, never what was typed or which record" },
      {
        label: "Time spent",
        detail: `seconds a page of the app was visible on screen, sent by our own script when the page is hidden (${BEACON_SECONDS.min} to ${BEACON_SECONDS.max} seconds at a time)`,
      },
    ],
    features: FEATURE_EVENT_NAMES.map((name) => ({ name, meaning: FEATURE_EVENTS[name] })),
    withEach: ["the workspace's id", "your user id", "the workspace's plan", "the day", "the device class"],
    never: [
      "no IP address",
      "no user agent (only the device class derived from it)",
      "no cookie: our usage script sets and reads none",
      "no third party: the data stays with us and our host",
    ],
    rawEventDays: USAGE_RETENTION.rawEventDays,
    dailyAggregateMonths: USAGE_RETENTION.dailyAggregateMonths,
    deviceClasses: [...DEVICE_CLASSES],
  };
}

/** The area of the app a route pattern belongs to ("/app/contacts/:id" → "contacts"; "/app" → "dashboard"). */
export function areaOf(pattern: string): string {
  const second = pattern.split("/")[2];
  return second && !second.startsWith(":") ? second : "dashboard";
}
