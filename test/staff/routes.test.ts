/** The staff route × staff role table: each role is let through exactly the routes the table gives it. */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { registeredRoutes, tableRoutes } from "../helpers/route-table";
import { newTenant } from "../helpers/tenants";
import { newStaff } from "./helpers";
import { STAFF_ROUTES, type StaffRoleName } from "./route-table";

const STAFF_ONLY = (path: string) => path.startsWith("/staff") && !/^\/staff\/(login|logout|enrol)/.test(path);

describe("staff route × role table", () => {
  it("lists every staff route the app has", () => {
    expect(registeredRoutes(STAFF_ONLY)).toEqual(tableRoutes(STAFF_ROUTES));
  });

  it("lets each staff role through exactly its routes (403 otherwise)", async () => {
    const { tenantId } = await newTenant("Routes Co");
    const cookies = {} as Record<StaffRoleName, string>;
    for (const role of ["support", "billing", "admin"] as const) cookies[role] = (await newStaff(role)).cookie;
    for (const r of STAFF_ROUTES) {
      const url = r.path.replace(":id", r.path.startsWith("/staff/workspaces") ? tenantId : "nosuchid");
      for (const role of ["support", "billing", "admin"] as const) {
        const res = await send(url, {
          method: r.method,
          cookie: cookies[role],
          form: r.method === "POST" ? {} : undefined,
        });
        const label = `${role} ${r.method} ${r.path}`;
        if (r.roles.includes(role)) {
          expect(res.status, label).not.toBe(403);
          expect(res.status, label).toBeLessThan(500);
        } else expect(res.status, label).toBe(403);
      }
    }
  });
});
