import { env } from "cloudflare:workers";
import type { Bindings } from "../env";

/**
 * The Worker's bindings and secrets, for code that runs inside workerd but is handed no `env`
 * (a Queue step's helpers). Never import this from anything Node runs (scripts/seed.ts bundles
 * services for Node): `cloudflare:workers` exists only in workerd.
 */
export function workerEnv(): Bindings {
  return env as unknown as Bindings;
}
