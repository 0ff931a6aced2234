// `npm run seed`: writes the demo tenant and users into the local D1 (idempotent), and prints the
// demo login. The work is in scripts/seed.ts, written in TypeScript against the app's own modules;
// Node cannot run those directly, so this bundles it with esbuild on the fly and imports the result.
// Options: --persist-to <dir> (the same as wrangler's); --json prints only the result, as JSON.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, stop } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Bundles scripts/seed.ts, runs it against the local D1 and returns its result. */
export async function runSeed({ persistTo } = {}) {
  // The bundle keeps its packages external, so it must sit inside the project for Node to find
  // them in node_modules; .wrangler/ is git-ignored scratch space.
  const scratch = join(root, ".wrangler", "tmp");
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, "seed-"));
  const outfile = join(dir, "seed.mjs");
  try {
    await build({
      entryPoints: [join(root, "scripts", "seed.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "warning",
    });
    const { seedDemoData } = await import(pathToFileURL(outfile).href);
    return await seedDemoData({ persistTo: persistTo && resolve(persistTo), configPath: join(root, "wrangler.toml") });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // esbuild keeps a service process alive; a caller that goes on running should not inherit it.
    await stop();
  }
}

/** The lines that tell a developer how to sign in. */
export function describeLogin(result) {
  const [owner, ...others] = result.users;
  return [
    "",
    "  Demo login (local only)",
    `    email:    ${owner.email}`,
    `    password: ${result.password}`,
    `  Same password for ${others.map((u) => `${u.email} (${u.role})`).join(", ")}.`,
    `  All in the tenant "${result.company}".`,
    ...(result.staff
      ? result.staff.enrolPath
        ? [`  Staff console: set up ${result.staff.email} (an admin) at ${result.staff.enrolPath}`]
        : [`  Staff console: /staff/login as ${result.staff.email}, with your authenticator's code`]
      : []),
    "",
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.env.WRANGLER_SEND_METRICS ??= "false";
  const i = process.argv.indexOf("--persist-to");
  const persistTo = i > 0 ? process.argv[i + 1] : undefined;
  try {
    const result = await runSeed({ persistTo });
    if (process.argv.includes("--json")) {
      // The last line of output; anything wrangler logs comes before it.
      console.log(`\n${JSON.stringify(result)}`);
    } else {
      console.log(result.created ? "seed: demo data written." : "seed: demo data already there; nothing written.");
      console.log(describeLogin(result));
    }
  } catch (err) {
    console.error("seed failed:", err);
    console.error("Are the migrations applied? Run `npm run db:migrate:local` first.");
    process.exitCode = 1;
  }
}
