/** The Worker's entry point. Only handlers may be exported from here (workerd rejects other exports). */
import { app } from "./app";
import type { Bindings } from "./env";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Bindings>;
