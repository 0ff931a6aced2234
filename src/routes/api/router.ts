/** A router of /api/v1 whose validation failures are problem+json listing every invalid field. */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { invalidFields, type FieldProblem } from "./problem";

/** `["emails", 1]` → "emails[1]"; `["custom_fields", "Tier"]` → "custom_fields.Tier". */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, part) => (typeof part === "number" ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part)),
    "",
  );
}

/** A new API router. */
export function apiRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const errors: FieldProblem[] = [];
      for (const issue of result.error.issues) {
        // An unknown field or query parameter is named itself, so a typo ("fist_name", "?tags=5") is not
        // silently dropped: a list ignoring a filter it lacks would answer every record.
        if (issue.code === "unrecognized_keys")
          for (const key of issue.keys)
            errors.push({
              field: fieldName([...issue.path, key]),
              message:
                result.target === "query" ? "There is no such query parameter here." : "This field does not exist.",
            });
        else errors.push({ field: fieldName(issue.path) || result.target, message: issue.message });
      }
      throw invalidFields(errors);
    },
  });
}
