/**
 * What the API's settings endpoints (pipelines, stages, tags, custom fields) share: a JSON body checked by a
 * settings form's own zod schema, its messages named as the JSON names the fields, and the key's actor.
 */
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../../env";
import type { KeyActor } from "../../lib/actor";
import { parseForm } from "../../lib/validation";
import { requestMeta } from "../../lib/request";
import { callerOf } from "./guard";
import { type ApiProblem, invalidFields, type FieldProblem } from "./problem";
import { parseRecordId } from "../record-helpers";

/** The key's maker as the actor of a change (nobody once their account is gone). */
export function keyActorOf(c: Context<AppEnv>): KeyActor {
  return { userId: callerOf(c).createdBy, ...requestMeta(c) };
}

/** The path's id, or the 404 `notFound` gives. */
export function pathId(raw: string, notFound: () => ApiProblem): number {
  const id = parseRecordId(raw);
  if (id === null) throw notFound();
  return id;
}

/**
 * `values` checked by a settings form's schema: the parsed data, or problems by field (`prefix` names where
 * they sit in the body, as `stages[1].`).
 */
export function checkedBy<S extends z.ZodType>(
  schema: S,
  values: Record<string, unknown>,
  prefix = "",
): { ok: true; data: z.output<S> } | { ok: false; problems: FieldProblem[] } {
  const parsed = parseForm(schema, values);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    problems: Object.entries(parsed.errors).map(([field, message]) => ({ field: `${prefix}${field}`, message })),
  };
}

/** `checkedBy`, throwing the validation problem. */
export function mustCheck<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.output<S> {
  const checked = checkedBy(schema, values);
  if (!checked.ok) throw invalidFields(checked.problems);
  return checked.data;
}

/** A service's refusal of a name (taken, say) as the validation problem it is. */
export function nameRefused(result: { ok: false; message: string }, field = "name"): ApiProblem {
  return invalidFields([{ field, message: result.message }]);
}
