import { isUniqueViolation } from "../db/sql";

/** The form's answer when another row of the workspace has the name already (in any case). */
export type NameTaken = { ok: false; field: "name"; message: string };

/**
 * Runs a write that sets a name the database keeps unique: the UNIQUE constraint failing answers
 * `message` by the name field instead of an error (the batch wrote nothing).
 */
export async function refusingTakenName<T>(message: string, write: () => Promise<T>): Promise<T | NameTaken> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, field: "name", message };
    throw err;
  }
}
