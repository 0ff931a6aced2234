/**
 * Logged calls, meetings and emails. Their own URLs are mounted at /app/interactions (edit, delete);
 * logging one is `POST /app/<contacts|companies|deals>/:id/interactions`, whose routers use
 * addInteractionRoute. Members log; the one who logged it, or an admin or owner, edits and deletes
 * (services/interactions decides). Another workspace's record or interaction is a 404. With htmx the
 * answer is the refreshed Timeline; without, a redirect back to the record.
 */
import { trackFeature } from "../../middleware/usage";
import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import type { SubjectType } from "../../db/schema";
import type { AppEnv } from "../../env";
import { errorResponse } from "../../lib/errors";
import { inReaderZone, render, wantsFragment } from "../../lib/render";
import { wallTimeValue } from "../../lib/zoned-time";
import { recordRefusal, requireRole } from "../../middleware/session";
import { parseInteractionForm, typedValues } from "../../services/interactions/form";
import {
  canChangeInteraction,
  deleteInteraction,
  editInteraction,
  getInteraction,
  logInteraction,
  type Interaction,
} from "../../services/interactions/interactions";
import { subjectExists } from "../../services/records/notes";
import { authOf, tenantOf } from "../context";
import {
  entryDeleteRoutes,
  savedEntryAnswer,
  timelineFragment,
  type EntryRemoval,
  type Subject,
} from "./shared/timeline-entry";
import { parseRecordId } from "../record-helpers";
import { outcomeWords } from "../../../views/lib/interactions";
import {
  InteractionEditForm,
  InteractionLogPageForm,
  InteractionPage,
  type InteractionFormState,
} from "../../../views/partials/timeline/InteractionForm";
import { subjectPath, timelineId } from "../../../views/partials/timeline/Timeline";

/** Mounted at /app/interactions. */
export const interactionsRoutes = new Hono<AppEnv>();

/** The signed-in user as an interaction's actor: the rule needs their role. */
function actorOf(c: Context<AppEnv>) {
  const auth = authOf(c);
  return { userId: auth.user.id, role: auth.role };
}

const zoneOf = (c: Context<AppEnv>) => authOf(c).user.timeZone;

/** A refusal by the rule (not the route's role): 403, written to the audit trail like requireRole's. */
async function refuse(c: Context<AppEnv>, id: number) {
  await recordRefusal(c, authOf(c), { type: "interaction", id: String(id) }, "logger or admin");
  return errorResponse(c, 403);
}

/** `POST /app/<contacts|companies|deals>/:id/interactions`: logs a call, meeting or email on the record. */
export function addInteractionRoute(type: SubjectType) {
  return async (c: Context<AppEnv>) => {
    const t = tenantOf(c);
    const id = parseRecordId(c.req.param("id"));
    if (id === null || !(await subjectExists(t, type, id))) return errorResponse(c, 404);
    const subject = { type, id };
    const body = await c.req.parseBody();
    const parsed = parseInteractionForm(body, zoneOf(c), Date.now());
    if (!parsed.ok) {
      const state = { values: typedValues(body), errors: parsed.errors };
      if (wantsFragment(c)) return timelineFragment(c, subject, { interactionForm: state }, 422);
      return render(
        c,
        "Log activity",
        <InteractionPage title="Log activity" subject={subject}>
          <InteractionLogPageForm subject={subject} state={state} />
        </InteractionPage>,
        422,
      );
    }
    const logged = await logInteraction(t, actorOf(c), type, id, parsed.data, Date.now());
    if (logged === null) return errorResponse(c, 404); // deleted in the meantime
    trackFeature(c, "interaction.logged");
    if (wantsFragment(c)) return timelineFragment(c, subject);
    return c.redirect(`${subjectPath(subject)}#${timelineId(subject)}`, 303);
  };
}

/** The tenant's interaction from the URL, with the reader's right to change it. */
async function interactionFromUrl(c: Context<AppEnv>) {
  const id = parseRecordId(c.req.param("id"));
  const row = id ? await getInteraction(tenantOf(c), id) : null;
  if (!row) return null;
  return {
    row,
    subject: { type: row.subjectType, id: row.subjectId } as Subject,
    allowed: canChangeInteraction(row, actorOf(c)),
  };
}

/** The stored interaction as the edit form's values, its time in the reader's zone. */
function storedValues(row: Interaction, zone: string): InteractionFormState["values"] {
  return {
    kind: row.kind,
    occurred_at: wallTimeValue(row.occurredAt, zone),
    duration_minutes: row.durationMinutes === null ? "" : String(row.durationMinutes),
    outcome: outcomeWords(row.kind, row.outcome) ?? "",
    notes: row.notes ?? "",
  };
}

function editPage(c: Context<AppEnv>, form: Child, subject: Subject, status: 200 | 422 = 200) {
  return render(
    c,
    "Edit logged activity",
    <InteractionPage title="Edit logged activity" subject={subject}>
      {form}
    </InteractionPage>,
    status,
  );
}

interactionsRoutes.get("/:id/edit", requireRole("member"), async (c) => {
  const found = await interactionFromUrl(c);
  if (!found) return errorResponse(c, 404);
  if (!found.allowed) return refuse(c, found.row.id);
  const inline = wantsFragment(c);
  const state = { values: storedValues(found.row, zoneOf(c)) };
  const form = <InteractionEditForm id={found.row.id} subject={found.subject} state={state} inline={inline} />;
  if (inline) return c.html(inReaderZone(c, form));
  return editPage(c, form, found.subject);
});

interactionsRoutes.post("/:id", requireRole("member"), async (c) => {
  const found = await interactionFromUrl(c);
  if (!found) return errorResponse(c, 404);
  if (!found.allowed) return refuse(c, found.row.id);
  const body = await c.req.parseBody();
  const parsed = parseInteractionForm(body, zoneOf(c), Date.now(), found.row.occurredAt);
  const inline = wantsFragment(c);
  if (!parsed.ok) {
    const state = { values: typedValues(body), errors: parsed.errors };
    const form = <InteractionEditForm id={found.row.id} subject={found.subject} state={state} inline={inline} />;
    if (inline) return c.html(inReaderZone(c, form), 422);
    return editPage(c, form, found.subject, 422);
  }
  const result = await editInteraction(tenantOf(c), actorOf(c), found.row.id, parsed.data, Date.now());
  if (!result.ok) return result.reason === "forbidden" ? refuse(c, found.row.id) : errorResponse(c, 404);
  return savedEntryAnswer(c, found.subject, `interaction-${found.row.id}`, inline);
});

async function removeInteraction(c: Context<AppEnv>): Promise<EntryRemoval> {
  const found = await interactionFromUrl(c);
  if (!found) return { response: errorResponse(c, 404) };
  if (!found.allowed) return { response: await refuse(c, found.row.id) };
  const result = await deleteInteraction(tenantOf(c), actorOf(c), found.row.id, Date.now());
  if (!result.ok)
    return { response: result.reason === "forbidden" ? await refuse(c, found.row.id) : errorResponse(c, 404) };
  return { subject: found.subject };
}

entryDeleteRoutes(interactionsRoutes, removeInteraction);
