import type { Child } from "hono/jsx";
import { DeleteConfirm } from "../../components/DeleteConfirm";
import { InlinePostButton } from "../../components/InlinePostButton";
import { Time } from "../../components/Time";
import { SettingsNav } from "../settings/SettingsNav";

export interface TrashRow {
  id: number;
  kind: "contact" | "company" | "deal" | "note" | "task";
  /** The record's own id (a contact's, for its erasure). */
  recordId: number;
  title: string;
  deletedBy: string | null;
  deletedAt: number;
  purgeAfter: number;
  canRestore: boolean;
}

const KIND_NAMES: Record<TrashRow["kind"], string> = {
  contact: "Contact",
  company: "Company",
  deal: "Deal",
  note: "Note",
  task: "Task",
};

const DAY_MS = 86_400_000;

/** Whole days until the item is purged, at least 0. */
export function daysLeft(purgeAfter: number, now: number): number {
  return Math.max(0, Math.ceil((purgeAfter - now) / DAY_MS));
}

/** The trash: what was deleted in the last 30 days, with Restore and (admins) Delete forever. */
export function TrashPage(p: {
  items: TrashRow[];
  next: number | null;
  now: number;
  canPurge: boolean;
  /** The settings navigation's tabs for this reader (admins' workspace tabs, the owner's Billing). */
  nav: { canSeeAudit: boolean; canSeeBilling: boolean };
  notice: string | null;
  /** Why the last action failed: a sentence, or the plan limit's message with its link. */
  problem: Child;
}) {
  return (
    // The heading above the settings tabs and the content in its card, as on every other settings page.
    <div class="stack">
      <h1>Trash</h1>
      <SettingsNav current="trash" canSeeAudit={p.nav.canSeeAudit} canSeeBilling={p.nav.canSeeBilling} />
      <section class="card stack" aria-label="Deleted records">
        <p class="muted">
          Deleted contacts, companies, deals, notes and tasks wait here for 30 days, then they are deleted for good.
          Restoring one brings back its tags, values, notes and links. Erasing a person (a privacy request) skips the
          trash.
        </p>
        {p.notice ? (
          <p class="flash ok" role="status">
            {p.notice}
          </p>
        ) : null}
        {p.problem ? (
          <div class="flash error" role="alert">
            <p>{p.problem}</p>
          </div>
        ) : null}
        {p.items.length === 0 ? (
          <p>The trash is empty.</p>
        ) : (
          <div class="table-wrap">
            <table class="trash-table">
              <caption class="visually-hidden">Items in the trash, most recently deleted first</caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Name</th>
                  <th scope="col">Deleted by</th>
                  <th scope="col">Deleted</th>
                  <th scope="col">Days left</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.items.map((item) => (
                  <tr id={`trash-${item.id}`}>
                    <td data-label="What">{KIND_NAMES[item.kind]}</td>
                    <td data-label="Name">{item.title}</td>
                    <td data-label="Deleted by">{item.deletedBy ?? "former member"}</td>
                    <td data-label="Deleted">
                      <Time ms={item.deletedAt} precision="minute" />
                    </td>
                    <td data-label="Days left">{daysLeft(item.purgeAfter, p.now)}</td>
                    <td class="actions">
                      {item.canRestore ? (
                        <InlinePostButton action={`/app/trash/${item.id}/restore`} label={`Restore: ${item.title}`}>
                          Restore
                        </InlinePostButton>
                      ) : null}
                      {p.canPurge ? (
                        // Without JavaScript the confirmation page (GET); with it htmx asks, then posts.
                        <form
                          class="inline-form"
                          method="get"
                          action={`/app/trash/${item.id}/delete`}
                          hx-post={`/app/trash/${item.id}/delete`}
                          hx-confirm={`Delete ${item.title} forever? This cannot be undone.`}
                        >
                          <button type="submit" class="secondary" aria-label={`Delete forever: ${item.title}`}>
                            Delete forever
                          </button>
                        </form>
                      ) : null}
                      {p.canPurge && item.kind === "contact" ? (
                        // A privacy request about someone already deleted: erased from here, everywhere.
                        <a class="button secondary" href={`/app/contacts/${item.recordId}/erase`}>
                          Erase<span class="visually-hidden"> {item.title}</span>
                        </a>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {p.next !== null ? <a href={`/app/trash?before=${p.next}`}>Older items</a> : null}
      </section>
    </div>
  );
}

/** The confirmation before deleting a trashed item for good, without JavaScript (admins and owners). */
export function TrashPurgeConfirm(p: { id: number; kind: TrashRow["kind"]; title: string }) {
  return (
    <DeleteConfirm
      heading={`Delete ${p.title} forever?`}
      action={`/app/trash/${p.id}/delete`}
      button="Delete forever"
      cancelHref="/app/trash"
    >
      This {KIND_NAMES[p.kind].toLowerCase()} leaves the trash for good, with what was kept with it. This cannot be
      undone.
    </DeleteConfirm>
  );
}

/** After a move to the trash: the way back, as a button (restoring changes data, so it is a POST). */
export function TrashUndo(p: { id: number }) {
  return (
    <div class="flash ok trash-undo" role="status">
      <span>Moved to the trash.</span>{" "}
      <InlinePostButton action={`/app/trash/${p.id}/restore`} buttonClass="link">
        Undo
      </InlinePostButton>{" "}
      <a href="/app/trash">Open the trash</a>
    </div>
  );
}

/** What a restore's answer may add: what came back differently, or that it was back already (a second Undo). */
export const RESTORE_NOTES = ["without_company", "company_in_trash", "new_stage", "already"] as const;
export type RestoreNote = (typeof RESTORE_NOTES)[number];

/** After a restore: where it came back, and what could not (a company deleted or trashed meanwhile, a stage removed). */
export function TrashRestored(p: { notes: RestoreNote[] }) {
  if (p.notes.includes("already"))
    return (
      <div class="flash ok" role="status">
        <p>It is already back: it was restored from the trash before.</p>
      </div>
    );
  return (
    <div class="flash ok" role="status">
      <p>
        Restored from the trash.
        {p.notes.includes("without_company") ? " Its company no longer exists, so it came back without one." : null}
        {p.notes.includes("company_in_trash")
          ? " Its company is in the trash, so it came back without one: restore the company first, then set the company again."
          : null}
        {p.notes.includes("new_stage")
          ? " Its stage was removed meanwhile, so it came back in the first stage of its pipeline (or of the first pipeline, if its own was removed too)."
          : null}
      </p>
    </div>
  );
}

/** A list row whose record went to the trash (htmx swaps it in): what happened, and Undo. */
export function TrashedRow(p: { rowId: string; itemId: number }) {
  return (
    <tr id={p.rowId} class="trashed-row">
      <td colspan={99}>
        <TrashUndo id={p.itemId} />
      </td>
    </tr>
  );
}
