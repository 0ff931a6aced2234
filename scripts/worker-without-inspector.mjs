// The app as `wrangler dev` serves it, but without the DevTools inspector: started through wrangler's own
// `unstable_startWorker` with `inspector: false`. With the inspector on, every console line and every D1 call's
// network events travel through wrangler's inspector proxy to its Node process, which writes each to a debug log:
// a cost per request that production never pays (docs/benchmarks.md, 2026-12-06 21:30). The browser tests use this,
// and `npm run bench` when BENCH_INSPECTOR=off. Arguments: one JSON object { port, stateDir, vars }; prints
// "ready <url>" when serving.
import { unstable_startWorker } from "wrangler";
import { root } from "./wrangler-dev.mjs";

const { port, stateDir, vars } = JSON.parse(process.argv[2] ?? "{}");
process.chdir(root);
const worker = await unstable_startWorker({
  config: "wrangler.toml",
  dev: { server: { hostname: "127.0.0.1", port }, inspector: false, persist: stateDir, logLevel: "warn" },
  bindings: Object.fromEntries(
    Object.entries(vars ?? {}).map(([name, value]) => [name, { type: "plain_text", value: String(value) }]),
  ),
});
await worker.ready;
console.log(`ready ${await worker.url}`);
for (const signal of ["SIGTERM", "SIGINT"])
  process.on(signal, async () => {
    await worker.dispose().catch(() => {});
    process.exit(0);
  });
