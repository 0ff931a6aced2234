/**
 * Development switches cannot reach production: wrangler.toml deploys with ENVIRONMENT=production and
 * sets none of them, and a production Worker refuses them even when someone sets them (BENCH serves
 * any workspace's contacts without signing in; /dev/mail shows every mail).
 */
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";

/** The [vars] table of wrangler.toml as name → value (strings only, which is all it holds). */
function deployedVars(): Record<string, string> {
  const toml = inject("wranglerToml");
  const section = toml.split(/^\[vars\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
  const vars: Record<string, string> = {};
  for (const m of section.matchAll(/^([A-Z0-9_]+)\s*=\s*"([^"]*)"\s*$/gm)) vars[m[1]!] = m[2]!;
  return vars;
}

const DEV_PATHS = ["/dev/mail", "/bench/floor?tenant=x"];

describe("the production configuration", () => {
  it("says production and switches on no development tool", () => {
    const vars = deployedVars();
    expect(vars.ENVIRONMENT).toBe("production");
    for (const name of ["DEV_MAIL", "BENCH"]) expect(vars[name], name).toBeUndefined();
    // Nor anywhere else in the file (an [env.*] table would deploy them too).
    expect(inject("wranglerToml")).not.toMatch(/^\s*(DEV_MAIL|BENCH)\s*=/m);
  });

  it("keeps the platform's own request records out of Workers Logs: their URLs hold reset, invitation and feed secrets", () => {
    // Invocation logs record every request's full URL and headers; the app's own line redacts them (redactPath).
    const toml = inject("wranglerToml");
    const logs = toml.split(/^\[observability\.logs\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
    expect(logs).toMatch(/^invocation_logs\s*=\s*false\s*$/m);
    expect(toml).not.toMatch(/^\s*invocation_logs\s*=\s*true/m);
  });

  it("refuses the development switches when they are set anyway, also with ENVIRONMENT unset", async () => {
    const { tenantId } = await newTenant("Production Guard Co");
    for (const environment of ["production", undefined]) {
      const env = { ...deployedVars(), ENVIRONMENT: environment, DEV_MAIL: "1", BENCH: "1" };
      for (const path of [...DEV_PATHS, `/bench/floor?tenant=${tenantId}`]) {
        expect((await send(path, { env })).status, `${path} with ENVIRONMENT=${environment}`).toBe(404);
      }
    }
  });

  it("lets them work in development", async () => {
    const env = { ENVIRONMENT: "development", DEV_MAIL: "1", BENCH: "1" };
    for (const path of DEV_PATHS) expect((await send(path, { env })).status, path).toBe(200);
  });
});
