/**
 * Saved views of the deals list (issue 18) under /app/deals/list/views (src/routes/app/shared/saved-views.tsx):
 * save the list's filters and sort as a view, update, rename, delete, make default.
 */
import { savedViewRoutes } from "../shared/saved-views";

/** Mounted at /app/deals/list with the list (src/routes/app/deals/index.ts). */
export const dealViewRoutes = savedViewRoutes({ entity: "deal", listPath: "/app/deals/list", listName: "deals" });
