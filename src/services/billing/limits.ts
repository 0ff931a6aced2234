/**
 * The Free plan's limits, enforced inside the batch that writes the record, so N concurrent requests
 * at the limit cannot all pass a check made before their writes (D1 runs one batch at a time, each as
 * a transaction). The guarded column gets NULL when the limit is reached; NOT NULL then fails the
 * statement and rolls the whole batch back.
 */
import { sql, type SQL } from "drizzle-orm";
import { invitations, memberships, tenantBilling, tenantCounters, type BillingState } from "../../db/schema";
import { failedWith } from "./errors";

/** States that get the Team plan's limits. Free and past_due tenants are held to Free's. */
export const PAID_STATES: readonly BillingState[] = ["trialing", "active"];

/** SQL: true while the tenant is held to the Free plan's limits (no billing row means Free). */
function heldToFreeLimits(tenantId: string): SQL {
  return sql`coalesce((select ${tenantBilling.state} from ${tenantBilling}
    where ${tenantBilling.tenantId} = ${tenantId}), 'free') not in ('trialing', 'active')`;
}

/** SQL: the tenant may add one more contact (a paid plan, or fewer than the Free limit). */
export function contactWithinLimit(tenantId: string, freeMaxContacts: number): SQL {
  return sql`(not ${heldToFreeLimits(tenantId)} or coalesce((select ${tenantCounters.contacts} from ${tenantCounters}
    where ${tenantCounters.tenantId} = ${tenantId}), 0) < ${freeMaxContacts})`;
}

/**
 * SQL: the tenant may hold one more seat. A seat is a member or a live invitation (one that can
 * still be accepted), so invitations cannot be sent beyond the seats they would fill.
 */
export function seatWithinLimit(tenantId: string, freeMaxSeats: number, now: number): SQL {
  return sql`(not ${heldToFreeLimits(tenantId)}
    or (select count(*) from ${memberships} where ${memberships.tenantId} = ${tenantId})
      + (select count(*) from ${invitations} where ${invitations.tenantId} = ${tenantId}
          and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null
          and ${invitations.expiresAt} > ${now}) < ${freeMaxSeats})`;
}

/**
 * SQL: `userId` may become a member: a paid plan, already a member (the insert is then a no-op), or
 * fewer members than the Free limit. Their own invitation was counted as a seat when it was sent.
 */
export function membershipWithinLimit(tenantId: string, userId: string, freeMaxSeats: number): SQL {
  return sql`(not ${heldToFreeLimits(tenantId)}
    or exists (select 1 from ${memberships}
      where ${memberships.tenantId} = ${tenantId} and ${memberships.userId} = ${userId})
    or (select count(*) from ${memberships} where ${memberships.tenantId} = ${tenantId}) < ${freeMaxSeats})`;
}

/** A value that is NULL when `allowed` is false: put it in a NOT NULL column to make the batch fail at the limit. */
export function guardedValue<T>(allowed: SQL, value: T): SQL {
  return sql`case when ${allowed} then ${value} end`;
}

/** Thrown by a create that a Free plan limit refused; its batch wrote nothing. */
export class PlanLimitError extends Error {
  constructor(
    readonly limit: "contacts" | "seats",
    readonly max: number,
  ) {
    super(`The Free plan's limit of ${max} ${limit} is reached`);
    this.name = "PlanLimitError";
  }
}

/** Whether an error is the guard of `column` ("contacts.tenant_id") refusing a write at the limit. */
export function isPlanLimitError(err: unknown, column: string): boolean {
  return failedWith(err, `NOT NULL constraint failed: ${column}`);
}
