/**
 * The webhook events of a deal update (src/services/deals/write.ts), in the update's own batch: deal.updated
 * names the fields that changed, besides the stage, in the API's words; a stage change is deal.stage_changed.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { webhookEventInsert } from "../webhooks/events";
import { dealData, dealUpdatedData } from "../webhooks/payloads";
import type { DealInput } from "./form";

/** The API names of what an update changed besides the stage (the timeline's `changes` keys). */
export function updatedFields(
  changes: Record<string, unknown>,
  before: { amountMinor: number; currency: string },
  input: DealInput,
): string[] {
  const out = new Set<string>();
  for (const key of Object.keys(changes)) {
    if (key === "amount") {
      if (before.amountMinor !== input.amountMinor) out.add("amount_minor");
      if (before.currency !== input.currency) out.add("currency");
    } else if (key.startsWith("cf_")) out.add("custom_fields");
    else if (key !== "stage") out.add(UPDATED_FIELD_NAMES[key] ?? key);
  }
  return [...out];
}
const UPDATED_FIELD_NAMES: Record<string, string> = {
  closeDate: "close_date",
  owner: "owner_id",
  company: "company_id",
};

/**
 * The events of an update, read from the row as the batch leaves it (`afterGuard`: only if the update held):
 * deal.updated when fields besides the stage changed, deal.stage_changed (with where it was) when the stage did.
 */
export function updateEvents(
  t: TenantDb,
  id: number,
  version: number,
  afterGuard: SQL,
  fields: string[],
  stageBefore: { stageId: number; stageName: string } | null,
): SQLWrapper[] {
  const source = sql`FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${id} AND ${afterGuard}`;
  return [
    ...(fields.length ? [webhookEventInsert(t, "deal.updated", dealUpdatedData(fields), source, version)] : []),
    ...(stageBefore
      ? [
          webhookEventInsert(
            t,
            "deal.stage_changed",
            dealData("d", sql`'previous_stage_id', ${stageBefore.stageId}, 'previous_stage', ${stageBefore.stageName}`),
            source,
            version,
          ),
        ]
      : []),
  ];
}
