/**
 * The files of the "Download my data" archive and what its manifest says of each (archive-contents.ts writes
 * them): the workspace's lists for owners and admins, and the account's own files.
 */
import { RETENTION } from "../../lib/legal";
import type { ExportKind } from "../export/columns";
import { USAGE_RETENTION } from "../usage/definitions";

export const WORKSPACE_FILES: { kind: ExportKind; format: "json" | "csv"; description: string }[] = [
  {
    kind: "contacts",
    format: "json",
    description:
      "Every contact of the workspace with everything it carries: emails, phones, company, tags, owner, " +
      "custom fields and notes (docs/export-format.md).",
  },
  {
    kind: "contacts",
    format: "csv",
    description: "Every contact, one row each, with a column per custom field; imports back into CustomerTrackr.",
  },
  {
    kind: "companies",
    format: "json",
    description: "Every company of the workspace with its tags, owner, custom fields and notes.",
  },
  {
    kind: "companies",
    format: "csv",
    description: "Every company, one row each, with a column per custom field; imports back into CustomerTrackr.",
  },
  {
    kind: "deals",
    format: "json",
    description:
      "Every deal of the workspace: amount, currency, pipeline and stage, status and lost reason, company, " +
      "contacts with their roles, tags, owner, custom fields, notes and stage history; " +
      "the pipelines with their stages and the lost reasons at the top.",
  },
  { kind: "deals", format: "csv", description: "Every deal, one row each, with a column per custom field." },
  {
    kind: "notes",
    format: "json",
    description: "Every note of the workspace, with the record it belongs to and its author.",
  },
  { kind: "notes", format: "csv", description: "Every note, one row each (for reading; notes are not imported)." },
];

/** The account files (account/<name>.json) and what the manifest says of each. */
export const ACCOUNT_FILES = {
  user:
    "Your account: email address, name, time zone, number and date format, when you signed up, confirmed your email address and your age, " +
    "and accepted the terms. Never your password (we keep only a hash of it).",
  memberships: "The workspaces you belong to, your role in each, and since when.",
  sessions:
    "Your sign-in sessions we hold: when each began and was last active, its IP address and browser. " +
    "Never the session token.",
  consent: "The analytics cookie choices you made while signed in, with the cookie-policy version each was made under.",
  "email-preferences":
    "Your choice of non-essential email: the weekly activity digest, product news, task reminders, " +
    "the daily agenda and mentions in notes.",
  "contact-messages":
    "The messages you sent us through the contact page from your account's address, once you have confirmed it " +
    `(kept ${RETENTION.supportMessageDays} days).`,
  emails:
    `The copies we keep of the emails we sent you (kept ${RETENTION.mailBodyDays} days): address, kind, ` +
    "subject, status and dates, and the text while we still hold it. " +
    "Links that carry a one-time token show :token instead.",
  "audit-log":
    "Audit-trail entries about you in your workspaces: what you did, and what was done to your account " +
    "(failed sign-ins, role changes).",
  "recently-viewed": "The records you opened lately in each workspace (the dashboard's shortcuts), by type and id.",
  "calendar-feed":
    "Your private calendar feeds, one per workspace where you turned one on: when you turned it on (or last gave it " +
    "a new address) and when a calendar last read it. Never its address: we keep only a hash of the secret in it.",
  reminders:
    "Your task reminders and mentions in the app (the bell) in each workspace: what each said, when, and when you " +
    "read it.",
  usage:
    `Your usage of the app: each page viewed (its pattern, not its address), feature used and time spent we still ` +
    `hold (raw, ${USAGE_RETENTION.rawEventDays} days; record "event"), and the daily totals made from them ` +
    `(${USAGE_RETENTION.dailyAggregateMonths} months; record "daily"), with workspace, day, plan and device class.`,
} as const;
