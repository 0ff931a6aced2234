/**
 * Saved views of the contacts list (issue 18) under /app/contacts/views (src/routes/app/shared/saved-views.tsx):
 * save the list as a view (columns included), update, rename, delete, make default.
 */
import { savedViewRoutes } from "../shared/saved-views";

/** Mounted with the others at /app/contacts (src/routes/app/contacts/index.ts), before /:id. */
export const contactViewRoutes = savedViewRoutes({
  entity: "contact",
  listPath: "/app/contacts",
  listName: "contacts",
  withColumns: true,
});
