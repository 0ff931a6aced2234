/** /staff/usage: product usage for staff admins (active workspaces and users, adoption, time, conversion). */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { requireStaff } from "../../middleware/staff";
import { numberFormat } from "../../lib/money";
import { FEATURE_EVENTS } from "../../services/usage/definitions";
import { loadStaffUsage } from "../../services/usage/staff-usage";
import { compactFormat } from "../../../views/components/charts/format";
import { StaffUsageContent } from "../../../views/pages/staff/UsagePage";
import { renderStaff } from "./page";

export const staffUsageRoutes = new Hono<AppEnv>();
staffUsageRoutes.use("*", requireStaff("admin"));

const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

staffUsageRoutes.get("/", async (c) => {
  const usage = await loadStaffUsage(c.get("db"), Date.now());
  const whole = numberFormat("en-US", { maximumFractionDigits: 0 });
  const percent = numberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });
  const tenths = numberFormat("en-US", { maximumFractionDigits: 1 });
  return renderStaff(
    c,
    "Product usage",
    <StaffUsageContent
      usage={{
        ...usage,
        adoption: usage.adoption.map((a) => ({ ...a, label: sentenceCase(FEATURE_EVENTS[a.name]) })),
        areas: usage.areas.map((a) => ({ area: a.area, hours: Math.round((a.seconds / 3600) * 10) / 10 })),
      }}
      formats={{
        count: (n) => whole.format(n),
        countTick: compactFormat("en-US"),
        percent: (n) => percent.format(n),
        hours: (n) => `${tenths.format(n)} h`,
      }}
    />,
  );
});
