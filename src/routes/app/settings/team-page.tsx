/**
 * The team page as the /app/settings/team handlers (team.tsx) render it: its data read fresh, plus whatever form
 * state or message a handler has, and the signed-in user as the team services see them.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { render } from "../../../lib/render";
import { roleAtLeast } from "../../../middleware/session";
import { liveKeyCountsByCreator } from "../../../services/api/keys";
import { listPendingInvitations } from "../../../services/team/invitations";
import { type KeysAfter, listMembers, memberChangeRefusal, type TeamActor } from "../../../services/team/members";
import { actorOf, authOf, controlOf } from "../../context";
import { TEAM_NOTICES, TeamPage, type TeamNotice, type TeamPageProps } from "../../../../views/pages/team/TeamPage";

/** The signed-in user as the team services see them: the actor with their address, role and verification. */
export function teamActorOf(c: Context<AppEnv>): TeamActor {
  const auth = authOf(c);
  return { ...actorOf(c), email: auth.user.email, role: auth.role, emailVerifiedAt: auth.user.emailVerifiedAt };
}

/** The keys part of a change's notice, from the redirect's numbers (digits only; anything else shows nothing). */
function keysNoticeOf(live: string | undefined, revoked: string | undefined): KeysAfter | null {
  const count = (v: string | undefined) => (v && /^[1-9][0-9]{0,5}$/.test(v) ? Number(v) : 0);
  const keys = { live: count(live), revoked: count(revoked) };
  return keys.live || keys.revoked ? keys : null;
}

/** The team page with its current data, plus whatever form state or message the handler has. */
export async function renderTeam(
  c: Context<AppEnv>,
  extra: Partial<TeamPageProps> = {},
  status: ContentfulStatusCode = 200,
) {
  const auth = authOf(c);
  const t = controlOf(c);
  const isAdmin = roleAtLeast(auth.role, "admin");
  // Admins make keys: the removal, demotion and leave forms say how many working ones each member made.
  const [members, invitations, liveKeys] = await Promise.all([
    listMembers(t),
    listPendingInvitations(t),
    liveKeyCountsByCreator(t, Date.now()),
  ]);
  const notice = c.req.query("notice");
  const me = { userId: auth.user.id, role: auth.role };
  return render(
    c,
    "Team",
    <TeamPage
      tenantName={auth.tenant.name}
      me={{
        userId: auth.user.id,
        isAdmin,
        isOwner: auth.role === "owner",
        verified: auth.user.emailVerifiedAt !== null,
        liveKeys: liveKeys.get(auth.user.id) ?? 0,
      }}
      members={members.map((m) => ({
        userId: m.userId,
        email: m.email,
        role: m.role,
        joinedAt: m.createdAt,
        manageable: isAdmin && memberChangeRefusal(me, m) === null,
        liveKeys: isAdmin ? (liveKeys.get(m.userId) ?? 0) : 0,
      }))}
      invitations={invitations}
      now={Date.now()}
      notice={notice && notice in TEAM_NOTICES ? (notice as TeamNotice) : null}
      keysNotice={keysNoticeOf(c.req.query("keys_live"), c.req.query("keys_revoked"))}
      {...extra}
    />,
    status,
  );
}
