/** The facts of a request that services record: when, and from where; and who acts. */

/** When and from where a request came: for the audit trail, rate limits and sessions. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  now: number;
}

/**
 * Who does something, with the request's facts: spread into an audit entry as they are
 * (`auditInsert(db, { tenantId, actorUserId: actor.userId, action, ...meta })`).
 */
export interface Actor extends RequestMeta {
  userId: string;
}

/** An actor who may be nobody: an API key whose maker's account is gone (src/services/api/). */
export type KeyActor = Omit<Actor, "userId"> & { userId: string | null };
