import { Field, FormAlert } from "../../components/Field";
import { SelectField } from "../companies/FormFields";
import { SettingsNav } from "./SettingsNav";

export interface WorkspacePageProps {
  name: string;
  defaultRegion: string;
  regions: { code: string; label: string }[];
  isOwner: boolean;
  notice?: string | null;
  values?: { default_region?: string; company_name?: string };
  errors?: Record<string, string>;
}

/** Workspace settings: the phone region for national numbers, and (owners) the workspace's name. */
export function WorkspacePage(p: WorkspacePageProps) {
  const errors = p.errors ?? {};
  return (
    <div class="stack">
      <h1>Workspace</h1>
      <SettingsNav current="workspace" canSeeAudit />
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}
      <section class="card" aria-labelledby="workspace-form-heading">
        <h2 id="workspace-form-heading">{p.name}</h2>
        <form class="stack" method="post" action="/app/settings/workspace">
          {p.isOwner ? (
            <Field
              name="company_name"
              label="Company name"
              value={p.values?.company_name ?? p.name}
              error={errors.company_name}
              required
              maxlength={100}
              autocomplete="organization"
            />
          ) : null}
          <SelectField
            name="default_region"
            label="Default phone region"
            value={p.values?.default_region ?? p.defaultRegion}
            options={p.regions.map((r) => ({ value: r.code, label: r.label }))}
            error={errors.default_region}
            hint="Phone numbers typed without a country code are read as numbers of this region. Numbers already saved do not change."
          />
          <div class="actions">
            <button type="submit">Save</button>
          </div>
        </form>
      </section>
      {p.isOwner ? (
        <section class="card" aria-labelledby="close-workspace-heading">
          <h2 id="close-workspace-heading">Close the workspace</h2>
          <p>
            Closing signs everyone out, cancels the subscription, and erases everything in the workspace after a grace
            period in which you can reopen it.
          </p>
          <p>
            <a class="danger-link" href="/app/settings/close">
              Close this workspace…
            </a>
          </p>
        </section>
      ) : null}
    </div>
  );
}
