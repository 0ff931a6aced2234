/**
 * The staff admins' product usage page. Exported unmounted: the staff console mounts it at /staff/usage
 * behind its staff-admin guard (this file has no guard of its own).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { assets } from "../../generated/assets";
import { numberFormat } from "../../lib/money";
import { FEATURE_EVENTS } from "../../services/usage/definitions";
import { loadStaffUsage } from "../../services/usage/staff-usage";
import { compactFormat } from "../../../views/components/charts/format";
import { StaffUsagePage } from "../../../views/pages/staff/UsagePage";

export const staffUsageRoutes = new Hono<AppEnv>();

const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

staffUsageRoutes.get("/", async (c) => {
  const usage = await loadStaffUsage(c.get("db"), Date.now());
  const whole = numberFormat("en-US", { maximumFractionDigits: 0 });
  const percent = numberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });
  const tenths = numberFormat("en-US", { maximumFractionDigits: 1 });
  c.header("Cache-Control", "no-store");
  return c.html(
    <StaffUsagePage
      css={assets.css}
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
