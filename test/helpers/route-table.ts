// The security tables (routes.security, public-routes.security) each name a part of the app's routes;
// these read what the app really registers, to compare with a table.
import { app } from "../../src/app";

/** Whether a route path is under /app (the signed-in app), as opposed to the public routes. */
export const isAppPath = (path: string) => path === "/app" || path.startsWith("/app/");

/** The app's routes whose path `belongs`, as sorted "METHOD /path" (middleware for ALL methods left out). */
export function registeredRoutes(belongs: (path: string) => boolean): string[] {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method !== "ALL" && belongs(r.path)) seen.add(`${r.method} ${r.path}`);
  }
  return [...seen].sort();
}

/** A table's rows as sorted "METHOD /path", to compare with registeredRoutes. */
export function tableRoutes(rows: { method: string; path: string }[]): string[] {
  return rows.map((r) => `${r.method} ${r.path}`).sort();
}
