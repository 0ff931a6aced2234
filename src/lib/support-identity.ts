/**
 * The support view hands a request to the app with a staff member's grant instead of a customer's
 * session. The identity rides on that one dispatch's env object under a symbol (the session middleware
 * reads it): nothing a browser sends — no header, no cookie — can set it.
 */
import type { AuthContext, Bindings } from "../env";

const SUPPORT = Symbol("support identity");

type WithSupport = Bindings & { [SUPPORT]?: AuthContext };

/** A copy of the bindings that carries the support view's identity. */
export function envWithSupport(env: Bindings, auth: AuthContext): Bindings {
  return { ...env, [SUPPORT]: auth } as WithSupport;
}

export function supportAuthOf(env: Bindings): AuthContext | undefined {
  return (env as WithSupport)[SUPPORT];
}
