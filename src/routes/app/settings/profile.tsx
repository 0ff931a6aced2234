/**
 * /app/settings/profile: what we hold about the user, their name, email address, time zone, number and
 * date format, private calendar feed and email preferences, the company name (owners), and deleting
 * their own account.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import { mirrorsPeople } from "../../../middleware/mirror-people";
import type { AppEnv } from "../../../env";
import { clearSessionCookie, forgetDevice, requireRole } from "../../../middleware/session";
import { errorResponse } from "../../../lib/errors";
import { appBaseUrl, deliverSoon } from "../../../lib/mail";
import { render } from "../../../lib/render";
import { requestMeta } from "../../../lib/request";
import { stripeFromEnv } from "../../../lib/stripe";
import { knownTimeZone, timeZones } from "../../../lib/time-zone";
import { email, formValue, parseForm, requiredCheckbox, text } from "../../../lib/validation";
import { deleteOwnUser } from "../../../services/account/deletion";
import { requestEmailChange } from "../../../services/account/email-address";
import { setEmailPreferences } from "../../../services/account/email-preferences";
import { loadProfile, NAME_MAX, setLocale, setTimeZone, updateName } from "../../../services/account/profile";
import { syncStripeCustomers } from "../../../services/billing/customers";
import {
  getWorkspaceSettings,
  isNumberLocale,
  NUMBER_LOCALES,
  updateWorkspaceSettings,
} from "../../../services/team/workspace-settings";
import {
  calendarFeedStatus,
  newCalendarFeedSecret,
  turnOffCalendarFeed,
} from "../../../services/calendar/feed-secrets";
import { amountForInput } from "../../../lib/money";
import { formatCalendarDate } from "../../../../views/lib/time";
import { actorOf, authOf, controlOf } from "../../context";
import { unconfirmedRefusal } from "./confirmed-address";
import { accountHolderOf, settingsMenuOf } from "./settings-context";
import { ProfilePage } from "../../../../views/pages/settings/ProfilePage";

/** Mounted at /app/settings/profile. */
export const profileRoutes = new Hono<AppEnv>();
// Names, addresses, zones and preferences are copied to the shards of the user's workspaces after a change.
profileRoutes.use("*", mirrorsPeople("user"));

const currentPassword = z
  .string({ error: "Enter your current password." })
  .min(1, { error: "Enter your current password." })
  .max(1024);

const SAVED_NOTICES: Record<string, string> = {
  name: "Your name has been saved.",
  company: "The company name has been saved.",
  email_preferences: "Your email preferences have been saved.",
  time_zone: "Your time zone has been saved.",
  locale: "Your number and date format has been saved.",
  calendar_feed_off: "Your calendar feed is off; its address no longer works.",
  calendar_feed_on: "Your calendar feed is already on. To see an address again, give it a new one.",
};

/** Each number and date format with how it writes 12,500.50 and the 5th of December 2026. */
const localeChoices = () =>
  NUMBER_LOCALES.map((l) => ({
    value: l,
    example: `${amountForInput(1250050, "USD", l)} · ${formatCalendarDate("2026-12-05", l)}`,
  }));

type ProfileValues = { email?: string; name?: string; company_name?: string };

async function profilePage(
  c: Context<AppEnv>,
  opts: {
    values?: ProfileValues;
    errors?: Record<string, string>;
    notice?: string;
    status?: 200 | 400 | 422;
    /** A calendar feed address just made, shown this once. */
    feedUrl?: string;
  },
) {
  const auth = authOf(c);
  const [data, workspace, feed] = await Promise.all([
    loadProfile(c.get("db"), auth.user.id, auth.sessionId, Date.now()),
    getWorkspaceSettings(controlOf(c)),
    calendarFeedStatus(c.get("db"), accountHolderOf(c)),
  ]);
  if (!data || !workspace) return errorResponse(c, 404);
  const menu = settingsMenuOf(c);
  return render(
    c,
    "Profile",
    <ProfilePage
      email={auth.user.email}
      verified={auth.user.emailVerifiedAt !== null}
      canSeeAudit={menu.canSeeAudit}
      canSeeBilling={menu.canSeeBilling}
      values={opts.values ?? {}}
      errors={opts.errors ?? {}}
      notice={opts.notice}
      userId={auth.user.id}
      profile={data}
      workspace={{ name: auth.tenant.name, role: auth.role }}
      timeZone={{
        chosen: opts.errors?.time_zone ? null : data.timeZone,
        workspaceZone: workspace.timeZone,
        zones: timeZones(),
        error: opts.errors?.time_zone,
      }}
      locale={{
        chosen: opts.errors?.locale ? null : data.locale,
        workspaceLocale: workspace.locale,
        locales: localeChoices(),
        error: opts.errors?.locale,
      }}
      calendarFeed={{ feed, newUrl: opts.feedUrl, workspace: auth.tenant.name, error: opts.errors?.calendar_feed }}
    />,
    opts.status ?? 200,
  );
}

profileRoutes.get("/", requireRole("viewer"), (c) => {
  const saved = c.req.query("saved");
  return profilePage(c, { notice: saved && Object.hasOwn(SAVED_NOTICES, saved) ? SAVED_NOTICES[saved] : undefined });
});

profileRoutes.post("/name", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const parsed = parseForm(z.object({ name: z.preprocess((v) => v ?? "", text("Name", { max: NAME_MAX })) }), body);
  if (!parsed.ok)
    return profilePage(c, { values: { name: formValue(body, "name") }, errors: parsed.errors, status: 422 });
  await updateName(c.get("db"), accountHolderOf(c), parsed.data.name, requestMeta(c));
  return c.redirect("/app/settings/profile?saved=name", 303);
});

profileRoutes.post("/time-zone", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const raw = formValue(body, "time_zone");
  const zone = raw === "" ? null : knownTimeZone(raw);
  if (raw !== "" && zone === null)
    return profilePage(c, { errors: { time_zone: "Choose a time zone from the list." }, status: 422 });
  await setTimeZone(c.get("db"), accountHolderOf(c), zone, requestMeta(c), c.env);
  return c.redirect("/app/settings/profile?saved=time_zone", 303);
});

profileRoutes.post("/locale", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const raw = formValue(body, "locale");
  if (raw !== "" && !isNumberLocale(raw))
    return profilePage(c, { errors: { locale: "Choose a format from the list." }, status: 400 });
  await setLocale(c.get("db"), accountHolderOf(c), raw === "" ? null : raw, requestMeta(c));
  return c.redirect("/app/settings/profile?saved=locale#number-format", 303);
});

// The calendar feed: its address is shown in the answer that makes it, never again (only its hash is kept).
const feedAddress = (c: Context<AppEnv>, secret: string) => `${appBaseUrl(c)}/cal/${secret}.ics`;

profileRoutes.post("/calendar-feed", requireRole("viewer"), async (c) => {
  // Turning it on twice (a double click) keeps the first address rather than silently replacing it.
  if (await calendarFeedStatus(c.get("db"), accountHolderOf(c)))
    return c.redirect("/app/settings/profile?saved=calendar_feed_on#calendar-feed", 303);
  const refused = unconfirmedRefusal(c, "turning on a calendar feed");
  if (refused) return profilePage(c, { errors: { calendar_feed: refused }, status: 422 });
  const secret = await newCalendarFeedSecret(c.get("db"), accountHolderOf(c), requestMeta(c), false);
  return profilePage(c, { feedUrl: feedAddress(c, secret) });
});

profileRoutes.post("/calendar-feed/rotate", requireRole("viewer"), async (c) => {
  if (!(await calendarFeedStatus(c.get("db"), accountHolderOf(c))))
    return c.redirect("/app/settings/profile#calendar-feed", 303);
  const secret = await newCalendarFeedSecret(c.get("db"), accountHolderOf(c), requestMeta(c), true);
  return profilePage(c, { feedUrl: feedAddress(c, secret) });
});

profileRoutes.post("/calendar-feed/off", requireRole("viewer"), async (c) => {
  await turnOffCalendarFeed(c.get("db"), accountHolderOf(c), requestMeta(c));
  return c.redirect("/app/settings/profile?saved=calendar_feed_off#calendar-feed", 303);
});

// The owner corrects the company name here too (the workspace settings page has the same field).
profileRoutes.post("/company", requireRole("owner"), async (c) => {
  const body = await c.req.parseBody();
  const parsed = parseForm(
    z.object({ company_name: z.preprocess((v) => v ?? "", text("Company name", { min: 1, max: 100 })) }),
    body,
  );
  if (!parsed.ok)
    return profilePage(c, {
      values: { company_name: formValue(body, "company_name") },
      errors: parsed.errors,
      status: 422,
    });
  const t = controlOf(c);
  const current = await getWorkspaceSettings(t);
  if (!current) return errorResponse(c, 404);
  const changed = await updateWorkspaceSettings(t, actorOf(c), {
    defaultRegion: current.defaultRegion,
    name: parsed.data.company_name,
  });
  if (changed.includes("name")) await syncStripeCustomers(t.db, stripeFromEnv(c.env), { tenantId: t.tenantId });
  return c.redirect("/app/settings/profile?saved=company", 303);
});

// Non-essential email. Checkboxes: an unticked box is simply absent from the form.
profileRoutes.post("/email-preferences", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  await setEmailPreferences(
    c.get("db"),
    authOf(c).user.id,
    {
      digest: body.digest === "on",
      news: body.news === "on",
      reminders: body.reminders === "on",
      agenda: body.agenda === "on",
      mentions: body.mentions === "on",
    },
    Date.now(),
  );
  return c.redirect("/app/settings/profile?saved=email_preferences#email-preferences", 303);
});

profileRoutes.post("/email", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const parsed = parseForm(z.object({ email: email(), password: currentPassword }), body);
  if (!parsed.ok)
    return profilePage(c, { values: { email: formValue(body, "email") }, errors: parsed.errors, status: 422 });
  const result = await requestEmailChange(
    c.get("db"),
    accountHolderOf(c),
    { newEmail: parsed.data.email, password: parsed.data.password },
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok)
    return profilePage(c, {
      values: { email: parsed.data.email },
      errors: { [result.field]: result.message },
      status: 422,
    });
  deliverSoon(c, result.mailIds);
  return profilePage(c, {
    notice: `We have sent a confirmation link to ${parsed.data.email}. Your address changes when you open it.`,
  });
});

profileRoutes.post("/delete", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const parsed = parseForm(
    z.object({ delete_password: currentPassword, confirm_delete: requiredCheckbox("Tick the box to confirm.") }),
    body,
  );
  if (!parsed.ok) return profilePage(c, { errors: parsed.errors, status: 422 });
  const userId = authOf(c).user.id;
  const result = await deleteOwnUser(c.get("db"), userId, parsed.data.delete_password, requestMeta(c), c.env);
  if (!result.ok) return profilePage(c, { errors: { [`delete_${result.field}`]: result.message }, status: 422 });
  clearSessionCookie(c);
  forgetDevice(c);
  c.set("auth", null);
  return c.redirect("/?account_deleted=1", 303);
});
