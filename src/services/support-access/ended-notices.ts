/**
 * Grants that ran out by themselves: the cron tells each workspace's owner once (end_notice_at, claimed
 * by a conditional update in the same batch as the mail, which is written only with the claim), and writes the
 * end to the workspace's trail.
 */
import { and, eq, isNotNull, isNull, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import { supportGrants } from "../../db/schema";
import { auditRow } from "../audit/audit";
import { supportAccessEndedMail } from "../../mail/support-access-messages";
import { mailLink } from "../reminders/links";
import { claimGrant, ownerMail, ownerOf, SUPPORT_ACCESS_PAGE } from "./grants";

/** Grants one run handles at most (each is a few statements). */
const PER_RUN = 25;

/**
 * Tells the owners of grants that ran out. Without `baseUrl` (APP_URL: there is no request to take an origin
 * from) the end is written to the trail with no mail and a logged line, as reminders and the digest go unsent.
 */
export async function sendEndedNotices(db: Database, now: number, baseUrl: string | undefined): Promise<string[]> {
  /* all tenants: the sweep finds every workspace's grants that ran out and whose owner was not yet told */
  const due = await db
    .select({ id: supportGrants.id, tenantId: supportGrants.tenantId })
    .from(supportGrants)
    .where(
      and(isNull(supportGrants.endNoticeAt), isNotNull(supportGrants.startedAt), lte(supportGrants.expiresAt, now)),
    )
    .limit(PER_RUN);
  const mailIds: string[] = [];
  for (const grant of due) {
    const t = scoped(db, grant.tenantId);
    const owner = await ownerOf(t);
    if (owner && !baseUrl)
      console.error(JSON.stringify({ type: "mail_skipped_no_app_url", kind: "support_access_ended", grant: grant.id }));
    const mail =
      owner && baseUrl
        ? ownerMail(
            t,
            owner,
            supportAccessEndedMail({
              tenantName: owner.tenantName,
              endedEarly: false,
              link: mailLink(baseUrl, grant.tenantId, SUPPORT_ACCESS_PAGE),
            }),
            now,
          )
        : null;
    // Two overlapping runs both find the grant: the mail and the entry are written only by the one that claims it.
    const claimed = await claimGrant(
      t,
      grant.id,
      isNull(supportGrants.endNoticeAt),
      t
        .update(supportGrants, { endNoticeAt: now }, eq(supportGrants.id, grant.id), isNull(supportGrants.endNoticeAt))
        .returning({ id: supportGrants.id }),
      [
        mail?.row ?? null,
        auditRow({
          tenantId: grant.tenantId,
          actorUserId: null,
          action: "support.ended",
          targetType: "support_grant",
          targetId: grant.id,
          targetLabel: "ran out",
          ip: null,
          userAgent: null,
          now,
        }),
      ],
    );
    if (claimed && mail) mailIds.push(mail.id);
  }
  return mailIds;
}
