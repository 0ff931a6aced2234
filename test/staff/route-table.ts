/** Every staff console route that needs a signed-in staff member, with the staff roles it lets in. */
export type StaffRoleName = "support" | "billing" | "admin";

export const STAFF_ROUTES: { method: string; path: string; roles: StaffRoleName[] }[] = [
  { method: "GET", path: "/staff", roles: ["support", "billing", "admin"] },
  { method: "GET", path: "/staff/workspaces/:id", roles: ["support", "billing", "admin"] },
  { method: "POST", path: "/staff/workspaces/:id/requests", roles: ["support", "admin"] },
  { method: "POST", path: "/staff/workspaces/:id/break-glass", roles: ["admin"] },
  { method: "POST", path: "/staff/workspaces/:id/move", roles: ["admin"] },
  { method: "GET", path: "/staff/break-glass", roles: ["admin"] },
  { method: "POST", path: "/staff/break-glass/:id/approve", roles: ["admin"] },
  { method: "GET", path: "/staff/team", roles: ["admin"] },
  { method: "GET", path: "/staff/usage", roles: ["admin"] },
  { method: "POST", path: "/staff/team", roles: ["admin"] },
  { method: "POST", path: "/staff/team/:id/disable", roles: ["admin"] },
  { method: "GET", path: "/staff/accounts", roles: ["support", "admin"] },
  { method: "GET", path: "/staff/accounts/erasures", roles: ["admin"] },
  { method: "POST", path: "/staff/accounts/erasures/:id/approve", roles: ["admin"] },
  { method: "GET", path: "/staff/accounts/:id", roles: ["support", "admin"] },
  { method: "POST", path: "/staff/accounts/:id/export", roles: ["support", "admin"] },
  { method: "POST", path: "/staff/accounts/:id/email", roles: ["admin"] },
  { method: "POST", path: "/staff/accounts/:id/preferences", roles: ["support", "admin"] },
  { method: "POST", path: "/staff/accounts/:id/erase", roles: ["admin"] },
];
