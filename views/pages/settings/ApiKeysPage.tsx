import { Card } from "../../components/Card";
import { Field, FormAlert } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";
import { TableHead } from "../../components/TableHead";
import { Time } from "../../components/Time";
import { CreateCard } from "../../partials/CreateCard";
import { SelectField } from "../companies/FormFields";
import { SettingsNav } from "./SettingsNav";

export const API_KEY_NOTICES = { revoked: "Key revoked. Requests with it are refused from now on." } as const;
export type ApiKeyNotice = keyof typeof API_KEY_NOTICES;

export interface ApiKeyRow {
  id: string;
  name: string;
  scope: "read" | "read_write";
  prefix: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  /** Who made it while they are a member here; null once they have left (the key may still work). */
  creator: { name: string | null; email: string } | null;
}

export interface ApiKeysPageProps {
  canSeeBilling?: boolean;
  keys: ApiKeyRow[];
  now: number;
  notice?: ApiKeyNotice | null;
  /** A key just made: its secret, shown on this page only. */
  created?: { name: string; secret: string };
  create?: { values: Record<string, string>; errors: Record<string, string> };
}

const SCOPES = [
  { value: "read", label: "Read only" },
  { value: "read_write", label: "Read and write" },
];
const EXPIRIES = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

function status(k: ApiKeyRow, now: number) {
  if (k.revokedAt !== null) return "Revoked";
  if (k.expiresAt !== null && k.expiresAt <= now) return "Expired";
  return "Active";
}

/** Settings → API: the workspace's keys, making one (its secret shown once) and revoking one. */
export function ApiKeysPage(p: ApiKeysPageProps) {
  const create = p.create ?? { values: {}, errors: {} };
  return (
    <div class="stack">
      <h1>API keys</h1>
      <SettingsNav current="api" canSeeAudit canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{API_KEY_NOTICES[p.notice]}</FormAlert> : null}
      {p.created ? (
        <Card id="new-key-secret" title={`Your new key “${p.created.name}”`}>
          <FormAlert kind="warn">Copy it now: it is shown only this once. We keep only a hash of it.</FormAlert>
          <div class="field">
            <label for="api-key-secret">Key</label>
            <input id="api-key-secret" type="text" readonly value={p.created.secret} autocomplete="off" />
          </div>
          <p class="muted">
            Send it in the <code>Authorization: Bearer</code> header of requests to <code>/api/v1</code>.
          </p>
        </Card>
      ) : null}
      <Card id="keys" title="Keys">
        <p class="muted">
          Keys belong to the workspace: they keep working when the member who made them leaves. Every use is in the
          audit trail. The reference is at <a href="/api/v1/docs">/api/v1/docs</a>.
        </p>
        {p.keys.length === 0 ? (
          <p class="muted">No keys yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <TableHead
                columns={["Name", "Key", "Access", "Created", "Expires", "Last used", "Status", { hidden: "Actions" }]}
              />
              <tbody>
                {p.keys.map((k) => (
                  <tr>
                    <td data-label="Name">{k.name}</td>
                    <td data-label="Key">
                      <code>{k.prefix}…</code>
                    </td>
                    <td data-label="Access">{k.scope === "read" ? "Read only" : "Read and write"}</td>
                    {/* When and by whom in one column: the table still fits a small tablet. */}
                    <td data-label="Created">
                      <Time ms={k.createdAt} />
                      <br />
                      <span class="muted wrap-anywhere">
                        by{" "}
                        {k.creator === null
                          ? "a former member"
                          : k.creator.name
                            ? `${k.creator.name} (${k.creator.email})`
                            : k.creator.email}
                      </span>
                    </td>
                    <td data-label="Expires">{k.expiresAt === null ? "Never" : <Time ms={k.expiresAt} />}</td>
                    <td data-label="Last used">{k.lastUsedAt === null ? "Never" : <Time ms={k.lastUsedAt} />}</td>
                    <td data-label="Status">{status(k, p.now)}</td>
                    <td>
                      {k.revokedAt === null ? (
                        <InlinePostButton
                          action={`/app/settings/api/${k.id}/revoke`}
                          label={`Revoke ${k.name}`}
                          confirm={`Revoke the key “${k.name}”? Requests with it are refused at once.`}
                        >
                          Revoke
                        </InlinePostButton>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <CreateCard id="new-key" title="New key" action="/app/settings/api" submit="Create key">
        <Field
          name="name"
          label="Name"
          value={create.values.name}
          error={create.errors.name}
          required
          maxlength={100}
        />
        <SelectField
          name="scope"
          label="Access"
          value={create.values.scope ?? "read"}
          options={SCOPES}
          error={create.errors.scope}
        />
        <SelectField
          name="expires"
          label="Expires"
          value={create.values.expires ?? "never"}
          options={EXPIRIES}
          error={create.errors.expires}
        />
      </CreateCard>
    </div>
  );
}
