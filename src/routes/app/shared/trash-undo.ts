/** After a record goes to the trash: the query that shows its Undo on the next page (src/lib/render.tsx). */
import type { Context } from "hono";
import type { TrashKind } from "../../../db/schema";
import type { AppEnv } from "../../../env";
import { trashItemIdOf } from "../../../services/trash/items";
import { tenantOf } from "../../context";

/** `path` with `trashed=<item>` added, when the record is in the trash. */
export async function withUndo(c: Context<AppEnv>, path: string, kind: TrashKind, recordId: number): Promise<string> {
  const item = await trashItemIdOf(tenantOf(c), kind, recordId);
  if (item === null) return path;
  return `${path}${path.includes("?") ? "&" : "?"}trashed=${item}`;
}
