/**
 * A deal saved into a stage that an admin removed after the form's check: the batch fails whole on the deal's
 * foreign key to its stage (nothing written), and StageGoneError lets the form say so by the stage field
 * instead of a 500.
 */
import type { TenantDb } from "../../db/scoped";
import { isForeignKeyViolation } from "../../db/sql";
import { getStage } from "./stages";

/** The message by the stage field. */
export const STAGE_GONE_MESSAGE = "That stage was removed; choose another.";

/** Thrown by a deal's save whose stage was removed after it was checked; the save wrote nothing. */
export class StageGoneError extends Error {
  constructor() {
    super(STAGE_GONE_MESSAGE);
    this.name = "StageGoneError";
  }
}

/** The write's result, or StageGoneError when it failed on a foreign key and the stage `stageId` is gone. */
export async function stageGuarded<T>(t: TenantDb, stageId: number, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    throw isForeignKeyViolation(err) && !(await getStage(t, stageId)) ? new StageGoneError() : err;
  }
}
