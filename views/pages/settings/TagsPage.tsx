import { Card } from "../../components/Card";
import { DeleteLink, SettingDeleteConfirm } from "../../components/DeleteConfirm";
import { CreateCard } from "../../partials/CreateCard";
import { Field, FormAlert } from "../../components/Field";
import { SelectField, TagChip } from "../companies/FormFields";
import { SettingsNav } from "./SettingsNav";

export const TAG_NOTICES = {
  created: "Tag created.",
  updated: "Tag saved.",
  deleted: "Tag deleted. It was taken off every record.",
} as const;
export type TagNotice = keyof typeof TAG_NOTICES;

export interface TagsPageProps {
  /** The owner also sees Billing in the settings navigation. */
  canSeeBilling?: boolean;
  tags: { id: number; name: string; color: string }[];
  colors: readonly string[];
  notice?: TagNotice | null;
  create?: { values: { name?: string; color?: string }; errors: Record<string, string> };
  /** A refused rename: which tag, what was typed, and why. */
  edit?: { id: number; values: { name?: string; color?: string }; errors: Record<string, string> };
}

const colorOptions = (colors: readonly string[]) =>
  colors.map((c) => ({ value: c, label: c[0]!.toUpperCase() + c.slice(1) }));

/** Tags: the list with swatches, create, rename or recolour, delete (after a confirmation page). */
export function TagsPage(p: TagsPageProps) {
  const create = p.create ?? { values: {}, errors: {} };
  return (
    <div class="stack">
      <h1>Tags</h1>
      <SettingsNav current="tags" canSeeAudit canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{TAG_NOTICES[p.notice]}</FormAlert> : null}
      <Card id="tags" title="Your tags">
        {p.tags.length === 0 ? (
          <p class="muted">No tags yet.</p>
        ) : (
          <ul class="plain-list settings-rows">
            {p.tags.map((t) => {
              const editing = p.edit?.id === t.id ? p.edit : null;
              const nameId = `tag-${t.id}-name`;
              return (
                <li>
                  <form
                    class="filters"
                    method="post"
                    action={`/app/settings/tags/${t.id}`}
                    aria-label={`Tag ${t.name}`}
                  >
                    <TagChip name={t.name} color={t.color} />
                    <div class="field">
                      <label for={nameId}>Name</label>
                      <input
                        id={nameId}
                        type="text"
                        name="name"
                        value={editing?.values.name ?? t.name}
                        required
                        maxlength={50}
                        aria-invalid={editing?.errors.name ? "true" : undefined}
                        aria-describedby={editing?.errors.name ? `${nameId}-error` : undefined}
                      />
                      {editing?.errors.name ? (
                        <p class="field-error" id={`${nameId}-error`}>
                          {editing.errors.name}
                        </p>
                      ) : null}
                    </div>
                    <SelectField
                      id={`tag-${t.id}-color`}
                      name="color"
                      label="Colour"
                      value={editing?.values.color ?? t.color}
                      options={colorOptions(p.colors)}
                      error={editing?.errors.color}
                    />
                    <button type="submit" class="secondary">
                      Save<span class="visually-hidden"> {t.name}</span>
                    </button>
                    <DeleteLink href={`/app/settings/tags/${t.id}/delete`} name={t.name} />
                  </form>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <CreateCard id="new-tag" title="New tag" action="/app/settings/tags" submit="Create tag">
        <Field name="name" label="Name" value={create.values.name} error={create.errors.name} required maxlength={50} />
        <SelectField
          name="color"
          label="Colour"
          value={create.values.color ?? "blue"}
          options={colorOptions(p.colors)}
          error={create.errors.color}
        />
      </CreateCard>
      <Card id="palette" title="Colours">
        <p class="tag-list">
          {p.colors.map((c) => (
            <>
              <TagChip name={c} color={c} />{" "}
            </>
          ))}
        </p>
      </Card>
    </div>
  );
}

/** Asks before deleting a tag (works without JavaScript). */
export function TagDeletePage(p: { tag: { id: number; name: string; color: string } }) {
  return (
    <SettingDeleteConfirm what="tag" name={p.tag.name} id={p.tag.id} listPath="/app/settings/tags">
      <TagChip name={p.tag.name} color={p.tag.color} /> is taken off every contact and company that has it. The records
      themselves stay. This cannot be undone.
    </SettingDeleteConfirm>
  );
}
