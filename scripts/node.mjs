// The self-hosted app on Node: `node scripts/node.mjs start` (npm run start:node) builds the assets and
// the server bundle (esbuild, packages left external), applies the migrations and serves;
// `node scripts/node.mjs migrate` (npm run db:migrate:node) only applies the migrations.
// Settings: wrangler.toml [vars], then .dev.vars, then the environment (PORT, HOST, DATA_DIR,
// LIBSQL_URL, LIBSQL_AUTH_TOKEN, MAIL_HTTP_URL, ...), HOST and PORT included; docs/self-host.md lists them.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const command = process.argv[2] ?? "start";
if (!["start", "migrate"].includes(command)) {
  console.error("usage: node scripts/node.mjs start|migrate");
  process.exit(2);
}

const assets = spawnSync(process.execPath, [join(root, "scripts", "assets.mjs")], { cwd: root, stdio: "inherit" });
if (assets.status !== 0) process.exit(assets.status ?? 1);

const outfile = join(root, "dist", "node", "server.mjs");
await build({
  entryPoints: [join(root, "src", "node", "server.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
const { loadVars, openPlatform, startServer } = await import(pathToFileURL(outfile).href);
// From here on every file the server makes (the database, its journal, uploads, export archives) is this user's
// alone; the built assets and bundle above keep the usual mode.
process.umask(0o077);

if (command === "migrate") {
  const platform = await openPlatform(root, loadVars(root));
  console.log("Migrations applied.");
  await platform.close();
} else {
  // A setting missing is a sentence for the operator, not a stack trace (anything else keeps its stack).
  // HOST and PORT come from the settings as every other one does (.dev.vars too).
  const server = await startServer({ root }).catch((err) => {
    console.error(`CustomerTrackr did not start: ${err.message}`);
    if (err.name !== "SettingsError") console.error(err.stack);
    process.exit(1);
  });
  console.log(`CustomerTrackr on Node + libSQL: ${server.url}`);
  // The server stops taking requests and waits (at most 30 s) for running jobs before the database closes.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
