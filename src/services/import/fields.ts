/** The custom fields a file of `kind` can fill: the contact, company or deal fields of the workspace. */
import type { TenantDb } from "../../db/scoped";
import { listCustomFields } from "../records/custom-fields";
import type { ImportKind } from "../../db/schema";

export function importFields(t: TenantDb, kind: ImportKind) {
  return listCustomFields(t, kind === "contacts" ? "contact" : kind === "companies" ? "company" : "deal");
}
