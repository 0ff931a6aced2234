import { Card } from "../../components/Card";
import { Field, FormAlert } from "../../components/Field";
import { InputField, SelectField } from "../companies/FormFields";
import { SettingsNav } from "./SettingsNav";

export interface WorkspacePageProps {
  /** The owner also sees Billing in the settings navigation. */
  canSeeBilling?: boolean;
  name: string;
  defaultRegion: string;
  regions: { code: string; label: string }[];
  currency: string;
  /** The common codes offered in the select (the workspace's own is added when it is not among them). */
  currencies: string[];
  locale: string;
  locales: { value: string; label: string }[];
  timeZone: string;
  timeZones: string[];
  reportScope: "team" | "own";
  isOwner: boolean;
  notice?: string | null;
  values?: {
    default_region?: string;
    company_name?: string;
    currency?: string;
    currency_other?: string;
    locale?: string;
    time_zone?: string;
    report_scope?: string;
  };
  errors?: Record<string, string>;
}

/** Workspace settings: the phone region, the deals' currency and number format, and (owners) the name. */
export function WorkspacePage(p: WorkspacePageProps) {
  const errors = p.errors ?? {};
  const currencies = p.currencies.includes(p.currency) ? p.currencies : [p.currency, ...p.currencies];
  return (
    <div class="stack">
      <h1>Workspace</h1>
      <SettingsNav current="workspace" canSeeAudit canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}
      <Card id="workspace-form" title={p.name}>
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
          <SelectField
            name="currency"
            label="Default currency"
            value={p.values?.currency ?? p.currency}
            options={currencies.map((c) => ({ value: c, label: c }))}
            error={errors.currency}
            hint="A new deal's currency unless its form says otherwise. Deals already saved keep theirs."
          />
          <InputField
            name="currency_other"
            label="Or another currency code"
            value={p.values?.currency_other ?? ""}
            error={errors.currency_other}
            maxlength={3}
            hint="Any ISO 4217 code, such as NOK or THB; it takes the place of the choice above."
          />
          <SelectField
            name="locale"
            label="Number format"
            value={p.values?.locale ?? p.locale}
            options={p.locales}
            error={errors.locale}
            hint="How amounts are written and read in forms and lists."
          />
          <SelectField
            name="time_zone"
            label="Time zone"
            value={p.values?.time_zone ?? p.timeZone}
            options={p.timeZones.map((z) => ({ value: z, label: z.replaceAll("_", " ") }))}
            error={errors.time_zone}
            hint="Times are shown in it to members who have not chosen their own in their profile."
          />
          <SelectField
            name="report_scope"
            label="Reports for members and viewers"
            value={p.values?.report_scope ?? p.reportScope}
            options={[
              { value: "team", label: "The whole team's figures" },
              { value: "own", label: "Only their own deals and activities" },
            ]}
            error={errors.report_scope}
            hint="Admins and owners always see the whole team's."
          />
          <div class="actions">
            <button type="submit">Save</button>
          </div>
        </form>
      </Card>
      {p.isOwner ? (
        <Card id="close-workspace" title="Close the workspace">
          <p>
            Closing signs everyone out, cancels the subscription, and erases everything in the workspace after a grace
            period in which you can reopen it.
          </p>
          <p>
            <a class="danger-link" href="/app/settings/close">
              Close this workspace…
            </a>
          </p>
        </Card>
      ) : null}
    </div>
  );
}
