import { ROLES, type Role } from "../db/schema";

/** Whether a role is at least another (viewer < member < admin < owner). */
export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}
