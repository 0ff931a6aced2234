/** Pieces the pages of a contact, a company and a deal share: their actions, custom values and times. */
import type { Child } from "hono/jsx";
import { CustomValue } from "../components/CustomValue";
import { DeleteConfirm } from "../components/DeleteConfirm";
import { Time } from "../components/Time";
import type { CustomFieldDef } from "../pages/companies/FormFields";
import type { RelatedDealRow } from "./deals/RelatedDeals";
import type { TimelineProps } from "./timeline/Timeline";

/** What the page of a contact or a company is given besides the record itself. */
export interface RecordPageContext {
  tags: { id: number; name: string; color: string }[];
  fields: CustomFieldDef[];
  values: Map<number, string>;
  deals: { deals: RelatedDealRow[]; more: boolean };
  canWrite: boolean;
  timeline: TimelineProps;
}

/** What a fact without a value shows. */
export const none = <span class="muted">—</span>;

/**
 * The Edit link and the "Move to trash" button of a record at `path`. With `hxDelete`, no JavaScript opens the
 * confirmation page (GET) and htmx deletes at once; without it the form posts. Nobody is asked: the trash
 * (and the Undo shown next) is the way back.
 */
export function EditDeleteActions(p: { path: string; hxDelete?: boolean }) {
  return (
    <>
      <a class="button secondary" href={`${p.path}/edit`}>
        Edit
      </a>
      <form
        class="inline-form"
        method={p.hxDelete ? "get" : "post"}
        action={`${p.path}/delete`}
        hx-delete={p.hxDelete ? p.path : undefined}
      >
        <button type="submit" class="secondary">
          Move to trash
        </button>
      </form>
    </>
  );
}

/** The record's custom fields as facts, in the workspace's order; an unset one shows a dash. */
export function CustomFacts(p: { fields: CustomFieldDef[]; values: Map<number, string> }) {
  return (
    <>
      {p.fields.map((f) => {
        const value = p.values.get(f.id);
        return (
          <>
            <dt>{f.name}</dt>
            <dd>{value !== undefined ? <CustomValue kind={f.kind} value={value} /> : none}</dd>
          </>
        );
      })}
    </>
  );
}

/** When the record was created and last updated, as the last facts of its details. */
export function CreatedUpdatedFacts(p: { createdAt: number; updatedAt: number; precision?: "minute" }) {
  return (
    <>
      <dt>Created</dt>
      <dd>
        <Time ms={p.createdAt} precision={p.precision} />
      </dd>
      <dt>Updated</dt>
      <dd>
        <Time ms={p.updatedAt} precision={p.precision} />
      </dd>
    </>
  );
}

/** The no-JavaScript confirmation before deleting one record at `path`; the children say what goes with it. */
export function DeleteRecordConfirm(p: { name: string; path: string; what: string; children: Child }) {
  return (
    <DeleteConfirm
      heading={<>Move {p.name} to the trash?</>}
      action={`${p.path}/delete`}
      button="Move to trash"
      cancelHref={p.path}
    >
      {p.children}
    </DeleteConfirm>
  );
}
