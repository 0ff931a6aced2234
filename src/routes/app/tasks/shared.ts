/** What the tasks routes share: the actor, the reader's day, the form's props and the linked record's name. */
import type { Context } from "hono";
import type { AppEnv } from "../../../env";
import { roleAtLeast } from "../../../lib/roles";
import { listOwners } from "../../../services/records/workspace";
import { parseSubjectRef } from "../../../services/tasks/form";
import { recordName } from "../../../services/tasks/records";
import type { TaskActor } from "../../../services/tasks/write";
import { authOf, tenantOf } from "../../context";
import type { TaskFormProps, TaskFormValues } from "../../../../views/pages/tasks/TaskForm";

export function taskActorOf(c: Context<AppEnv>): TaskActor {
  const auth = authOf(c);
  return { userId: auth.user.id, role: auth.role, timeZone: auth.user.timeZone, now: Date.now() };
}

export { readerToday } from "../../context";

export const canWriteTasks = (c: Context<AppEnv>) => roleAtLeast(authOf(c).role, "member");

/** Who reads a task list, for its buttons: null for a viewer, who changes none. */
export function taskReader(c: Context<AppEnv>) {
  const auth = authOf(c);
  return canWriteTasks(c) ? { userId: auth.user.id, admin: roleAtLeast(auth.role, "admin") } : null;
}

/**
 * The props of a task form, with the workspace's members to assign to (not its viewers, but the one it is given to
 * already, so saving it never hands it to someone else unasked) and the linked record's name.
 */
export async function taskFormProps(
  c: Context<AppEnv>,
  p: {
    action: string;
    values: TaskFormValues;
    errors?: Record<string, string>;
    submit: string;
    hxTarget?: string;
    /** The linked record's name when the caller has read it already. */
    recordName?: string | null;
  },
): Promise<TaskFormProps> {
  const t = tenantOf(c);
  const ref = parseSubjectRef(p.values.record ?? "");
  const [everyone, name] = await Promise.all([
    listOwners(t),
    p.recordName !== undefined ? p.recordName : ref ? recordName(t, ref.type, ref.id) : null,
  ]);
  return {
    action: p.action,
    values: p.values,
    errors: p.errors ?? {},
    members: everyone.filter((m) => m.role !== "viewer" || m.userId === p.values.assignee),
    currentUserId: authOf(c).user.id,
    recordName: name,
    submit: p.submit,
    hxTarget: p.hxTarget,
  };
}
