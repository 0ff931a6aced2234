/** Import job steps run by the queue consumer (src/jobs.ts). */
import type { Bindings } from "../env";

export type ImportMessage = { type: "import.analyse" | "import.commit" | "import.undo"; importId: string; tenantId: string };

export async function runImportStep(_env: Bindings, message: ImportMessage, _now: number): Promise<void> {
  throw new Error(`import step ${message.type} is not built yet`);
}
