#!/usr/bin/env node
/**
 * Operator actions for verified requests, against a running CustomerTrackr (OPS_URL) with its
 * operator token (OPS_TOKEN). Every action needs --operator "<your name>" and --reason "<why>", which
 * go into the audit trail. There is no action that lists or searches workspaces or their records.
 *
 *   OPS_URL=https://app.example.com OPS_TOKEN=... npm run ops -- <action> [args] --operator "Ana" --reason "Ticket 123"
 *
 *   erase-account <email>          erase the account now (and every workspace it owns); also for a minor's data
 *   export-account <email> [--out file.json]
 *                                  the account's data as JSON (its own data; the records of workspaces it owns)
 *   correct-email <old> <new>      change the account's address; the new one must be confirmed
 *   erase-contact-messages <email> erase a contact-page sender's messages and the mail to them (account or not)
 *   set-email-preferences <email> [--digest on|off] [--news on|off] [--reminders on|off] [--agenda on|off] [--mentions on|off]
 *                                  turn the account's non-essential mail on or off (an opt-out by mail)
 *   failed-mail                    mail the mailer gave up on (metadata and errors, no bodies)
 *   create-staff <email> --name "<name>" [--role admin|support|billing]
 *                                  a staff member (the first admin: later ones are added in the staff console);
 *                                  prints their one-time enrolment link (24 hours)
 */
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

const USAGE = `Usage: npm run ops -- <action> [args] --operator "<your name>" --reason "<why>"

Actions:
  erase-account <email>                  erase the account now, with every workspace it owns
  export-account <email> [--out <file>]  the account's data as JSON (printed, or written to <file>)
  correct-email <old-email> <new-email>  correct the account's email address (the new one is confirmed by mail)
  erase-contact-messages <email>         erase a contact-page sender's messages and the mail to them (with or without an account)
  set-email-preferences <email> [--digest on|off] [--news on|off] [--reminders on|off] [--agenda on|off] [--mentions on|off]
                                         turn the weekly digest, product news, task reminders, the daily
                                         agenda and/or mentions in notes on or off for the account
  failed-mail                            list mail the mailer gave up on
  create-staff <email> --name "<name>" [--role admin|support|billing]
                                         add a staff member (the first admin); prints their enrolment link

Environment: OPS_URL (the app's origin) and OPS_TOKEN (its operator token).`;

/** Splits argv into positional arguments and --name value options. */
export function parseArgs(argv) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq > 0) options[arg.slice(2, eq)] = arg.slice(eq + 1);
      else {
        options[arg.slice(2)] = argv[i + 1];
        i += 1;
      }
    } else positional.push(arg);
  }
  return { positional, options };
}

/** The request an action makes, or an error message. */
export function requestFor(action, args, options) {
  const note = { operator: (options.operator ?? "").trim(), reason: (options.reason ?? "").trim() };
  const needsNote = action !== "failed-mail" && action !== "create-staff";
  if (needsNote && (!note.operator || !note.reason))
    return { error: 'Every action needs --operator "<your name>" and --reason "<why>" (they are audited).' };
  switch (action) {
    case "erase-account":
      if (args.length !== 1) return { error: "erase-account takes one email address." };
      return { method: "POST", path: "/ops/accounts/erase", body: { email: args[0], ...note } };
    case "export-account":
      if (args.length !== 1) return { error: "export-account takes one email address." };
      return { method: "POST", path: "/ops/accounts/export", body: { email: args[0], ...note }, out: options.out };
    case "correct-email":
      if (args.length !== 2) return { error: "correct-email takes the old and the new email address." };
      return {
        method: "POST",
        path: "/ops/accounts/correct-email",
        body: { old_email: args[0], new_email: args[1], ...note },
      };
    case "erase-contact-messages":
      if (args.length !== 1) return { error: "erase-contact-messages takes one email address." };
      return { method: "POST", path: "/ops/accounts/erase-contact-messages", body: { email: args[0], ...note } };
    case "set-email-preferences": {
      if (args.length !== 1) return { error: "set-email-preferences takes one email address." };
      const body = { email: args[0] };
      for (const list of ["digest", "news", "reminders", "agenda", "mentions"]) {
        const value = options[list];
        if (value === undefined) continue;
        if (value !== "on" && value !== "off") return { error: `--${list} takes on or off.` };
        body[list] = value === "on";
      }
      if (Object.keys(body).length === 1)
        return {
          error: "set-email-preferences needs --digest, --news, --reminders, --agenda and/or --mentions on|off.",
        };
      return { method: "POST", path: "/ops/accounts/email-preferences", body: { ...body, ...note } };
    }
    case "failed-mail":
      return { method: "GET", path: "/ops/mail/failed" };
    case "create-staff": {
      if (args.length !== 1) return { error: "create-staff takes one email address." };
      const name = (options.name ?? "").trim();
      const role = options.role ?? "admin";
      if (!name) return { error: 'create-staff needs --name "<their name>".' };
      if (!["support", "billing", "admin"].includes(role)) return { error: "--role takes support, billing or admin." };
      return { method: "POST", path: "/ops/staff", body: { email: args[0], name, role } };
    }
    default:
      return { error: `Unknown action "${action ?? ""}".` };
  }
}

async function main() {
  const { positional, options } = parseArgs(process.argv.slice(2));
  const [action, ...args] = positional;
  if (options.help || !action) {
    console.log(USAGE);
    process.exit(action || options.help ? 0 : 2);
  }
  const url = process.env.OPS_URL;
  const token = process.env.OPS_TOKEN;
  if (!url || !token) {
    console.error("Set OPS_URL (the app's origin) and OPS_TOKEN (its operator token).");
    process.exit(2);
  }
  const req = requestFor(action, args, options);
  if (req.error) {
    console.error(`${req.error}\n\n${USAGE}`);
    process.exit(2);
  }
  const res = await fetch(new URL(req.path, url), {
    method: req.method,
    headers: { Authorization: `Bearer ${token}`, ...(req.body ? { "Content-Type": "application/json" } : {}) },
    body: req.body ? JSON.stringify(req.body) : undefined,
  });
  if (!res.ok) {
    console.error(`${res.status} ${res.statusText}: ${await res.text()}`);
    process.exit(1);
  }
  if (req.out && res.body) {
    await pipeline(Readable.fromWeb(res.body), createWriteStream(req.out));
    console.log(`Written to ${req.out}`);
    return;
  }
  const text = await res.text();
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
}

// Run only as a command (tests import the functions above).
if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(String(err));
    process.exit(1);
  });
}
