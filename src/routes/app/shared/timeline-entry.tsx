/**
 * What the timeline's own entries (notes, logged calls, meetings and emails) share on their routes: the
 * refreshed timeline as an htmx fragment, the answer to a saved edit, and the two ways to delete one.
 */
import type { Context, Hono } from "hono";
import type { SubjectType } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { inReaderZone, wantsFragment } from "../../../lib/render";
import { requireRole } from "../../../middleware/session";
import { authOf, tenantOf } from "../../context";
import { loadTimeline, timelineProps } from "../../record-helpers";
import { TrashUndo } from "../../../../views/pages/trash/TrashPage";
import { subjectPath, Timeline, timelineId, type TimelineProps } from "../../../../views/partials/timeline/Timeline";

export type Subject = { type: SubjectType; id: number };

/** The record's refreshed timeline as an htmx fragment, with a refused form's state when there is one. */
export async function timelineFragment(
  c: Context<AppEnv>,
  subject: Subject,
  forms: Pick<TimelineProps, "noteForm" | "interactionForm"> = {},
  status: 200 | 422 = 200,
) {
  const data = await loadTimeline(tenantOf(c), subject);
  return c.html(inReaderZone(c, <Timeline {...timelineProps(authOf(c), subject, data, forms)} />), status);
}

/** The refreshed timeline after an entry went to the trash, with its Undo just above it. */
async function trashedFragment(c: Context<AppEnv>, subject: Subject, trashed: number | null | undefined) {
  if (!trashed) return timelineFragment(c, subject);
  const data = await loadTimeline(tenantOf(c), subject);
  const timeline = <Timeline {...timelineProps(authOf(c), subject, data, {})} />;
  return c.html(
    inReaderZone(
      c,
      <>
        <TrashUndo id={trashed} />
        {timeline}
      </>,
    ),
  );
}

/** After an entry's edit: inline (htmx), the whole timeline replaces the form; else back to `#anchor` on the record. */
export function savedEntryAnswer(c: Context<AppEnv>, subject: Subject, anchor: string, inline: boolean) {
  if (!inline) return c.redirect(`${subjectPath(subject)}#${anchor}`, 303);
  // The inline form targets its own list item; on success the whole timeline is replaced.
  c.header("HX-Retarget", `#${timelineId(subject)}`);
  c.header("HX-Reswap", "outerHTML");
  return timelineFragment(c, subject);
}

/** What deleting an entry gave: the record it was on, or the refusal to answer with. */
export type EntryRemoval = { subject: Subject; trashed?: number | null } | { subject?: undefined; response: Response };

/** `POST /:id/delete` (a form, or htmx) and `DELETE /:id` (htmx) on `routes`, for members; `remove` decides. */
export function entryDeleteRoutes(routes: Hono<AppEnv>, remove: (c: Context<AppEnv>) => Promise<EntryRemoval>) {
  routes.post("/:id/delete", requireRole("member"), async (c) => {
    const r = await remove(c);
    if (!r.subject) return r.response;
    if (wantsFragment(c)) return trashedFragment(c, r.subject, r.trashed);
    const undo = r.trashed ? `?trashed=${r.trashed}` : "";
    return c.redirect(`${subjectPath(r.subject)}${undo}#${timelineId(r.subject)}`, 303);
  });
  routes.delete("/:id", requireRole("member"), async (c) => {
    const r = await remove(c);
    if (!r.subject) return r.response;
    return trashedFragment(c, r.subject, r.trashed);
  });
}
