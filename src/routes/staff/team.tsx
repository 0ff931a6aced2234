/** /staff/team: staff admins add staff (an emailed enrolment link) and disable them. */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { STAFF_ROLES } from "../../db/schema";
import { appBaseUrl, deliverSoon } from "../../lib/mail";
import { requestMeta } from "../../lib/request";
import { email, formValues, parseForm } from "../../lib/validation";
import { requireStaff, staffOf } from "../../middleware/staff";
import { queueMail } from "../../services/mail/outbox";
import { createStaff, disableStaff, listStaff } from "../../services/staff/accounts";
import { staffAuditInsert } from "../../services/staff/staff-audit";
import { staffEnrolmentMail } from "../../mail/support-access-messages";
import { refuseStaff, renderStaff } from "./page";
import { StaffTeamPage } from "../../../views/pages/staff/AdminPages";

export const staffTeamRoutes = new Hono<AppEnv>();
staffTeamRoutes.use("*", requireStaff("admin"));

async function teamPage(
  c: Context<AppEnv>,
  extra: { values?: Record<string, string>; errors?: Record<string, string>; notice?: string } = {},
  status: 200 | 400 | 409 = 200,
) {
  const members = await listStaff(c.get("db"));
  return renderStaff(
    c,
    "Staff",
    <StaffTeamPage
      members={members.map((m) => ({ ...m, enrolled: m.enrolledAt !== null, disabled: m.disabledAt !== null }))}
      {...extra}
    />,
    status,
  );
}

staffTeamRoutes.get("/", (c) => teamPage(c));

const CONSOLE_ROLES = STAFF_ROLES.filter((r) => r !== "admin") as ["support", "billing"];

const addSchema = z.object({
  name: z.string().trim().min(1, "Enter their name.").max(100, "At most 100 characters."),
  email: email("Enter their work email address."),
  // Admins come from the operator token only (npm run ops -- create-staff): an admin who could make another admin
  // of an address of their own could approve their own break-glass or erasure, and the two-person rule is gone.
  role: z.enum(CONSOLE_ROLES, { error: "Choose support or billing. Admins are added with the operator token." }),
});

staffTeamRoutes.post("/", async (c) => {
  const body = await c.req.parseBody();
  const values = formValues(body, ["name", "email", "role"]);
  const parsed = parseForm(addSchema, body);
  if (!parsed.ok) return teamPage(c, { values, errors: parsed.errors }, 400);
  const db = c.get("db");
  const meta = requestMeta(c);
  const created = await createStaff(db, parsed.data, meta.now);
  if (!created.ok) return teamPage(c, { values, errors: { email: "A staff member has this address." } }, 409);
  const me = staffOf(c);
  const mail = queueMail(
    db,
    {
      to: parsed.data.email,
      tenantId: null,
      userId: null,
      ...staffEnrolmentMail({ name: parsed.data.name, link: `${appBaseUrl(c)}/staff/enrol/${created.enrolToken}` }),
    },
    meta.now,
  );
  await db.batch([
    mail.query,
    staffAuditInsert(db, {
      staffId: me.id,
      staffName: me.name,
      action: "staff.created",
      targetType: "staff",
      targetId: created.id,
      targetLabel: `${parsed.data.name} (${parsed.data.role})`,
      ...meta,
    }),
  ]);
  deliverSoon(c, [mail.id]);
  return teamPage(c, { notice: `${parsed.data.name} was emailed an enrolment link (good for 24 hours).` });
});

staffTeamRoutes.post("/:id/disable", async (c) => {
  const me = staffOf(c);
  const id = c.req.param("id");
  if (id === me.id) return refuseStaff(c, 403, "Another admin disables you, so the console always has one.");
  const meta = requestMeta(c);
  if (!(await disableStaff(c.get("db"), id, meta.now))) return refuseStaff(c, 404, "No such active staff member.");
  await staffAuditInsert(c.get("db"), {
    staffId: me.id,
    staffName: me.name,
    action: "staff.disabled",
    targetType: "staff",
    targetId: id,
    ...meta,
  });
  return teamPage(c, { notice: "Disabled; their sessions ended." });
});
