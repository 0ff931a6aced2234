// `node scripts/simulate-placement.mjs [--workspaces 10000] [--shards 24] [--seed 1]`: places simulated
// workspaces over shards with the app's own placement rule (src/services/shards/placement-rule.ts, built
// here with esbuild) and reports the spread. Not a test: docs/scale.md holds its figures and why.
//
// The model: workspaces sign up one after another; each is placed when it is new (empty) and then grows
// towards its final size over the next GROWTH_ARRIVALS sign-ups. Final sizes are heavy-tailed (lognormal:
// many small, a few large) with a handful of very large workspaces added. Placement reads what it would
// read in production: each shard's size as last measured (the cron measures hourly, here every
// MEASURE_EVERY sign-ups) and its workspace count. Rules compared: the app's rule, fewest workspaces only,
// and random.
import { buildSync } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const WORKSPACES = arg("workspaces", 10_000);
const SHARDS = arg("shards", 24);
const SEED = arg("seed", 1);

const MB = 1_000_000;
const GB = 1_000_000_000;
/** D1's limit per database. */
const LIMIT = 10 * GB;
/** Sign-ups over which a workspace reaches its final size. */
const GROWTH_ARRIVALS = 2_000;
/** Sign-ups between two measurements of the shards' sizes (an hour of sign-ups at a busy time). */
const MEASURE_EVERY = 50;
/** Median final size: about 1,000 contacts with their notes (docs/scale.md: ~2.2 KB per contact-equivalent). */
const MEDIAN_BYTES = 2.2 * MB;
/** Spread of the lognormal: a tenth of workspaces above ~22 MB, one in a thousand above ~550 MB. */
const SIGMA = 1.8;
/** The very large: a few workspaces of 1–4 million contacts (2.2–8.6 GB). */
const GIANTS = [2.2 * GB, 3.5 * GB, 5 * GB, 8.6 * GB];

const { outputFiles } = buildSync({
  entryPoints: [join(root, "src/services/shards/placement-rule.ts")],
  bundle: true,
  format: "esm",
  write: false,
  platform: "neutral",
});
const { chooseShard } = await import(
  `data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString("base64")}`
);

/** mulberry32: a small seeded generator, so a run can be repeated. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function finalSizes(rand) {
  const sizes = [];
  for (let i = 0; i < WORKSPACES; i += 1) {
    const normal = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    sizes.push(Math.min(MEDIAN_BYTES * Math.exp(SIGMA * normal), 9 * GB));
  }
  // The giants sign up at random times like everyone else.
  for (const giant of GIANTS) sizes[Math.floor(rand() * WORKSPACES)] = giant;
  return sizes;
}

const sizeAt = (final, age) => final * Math.min(1, age / GROWTH_ARRIVALS);

/** Places every workspace with `rule`; returns each shard's final bytes and workspace count. */
function simulate(sizes, rule) {
  const shards = Array.from({ length: SHARDS }, (_, i) => ({ shard: `SHARD_${i}`, members: [], measured: 0 }));
  for (let i = 0; i < sizes.length; i += 1) {
    if (i % MEASURE_EVERY === 0)
      for (const s of shards) s.measured = s.members.reduce((n, m) => n + sizeAt(sizes[m], i - m), 0);
    const name = rule(shards.map((s) => ({ shard: s.shard, bytes: s.measured, workspaces: s.members.length })));
    shards.find((s) => s.shard === name).members.push(i);
  }
  return shards.map((s) => ({
    shard: s.shard,
    members: s.members,
    workspaces: s.members.length,
    bytes: s.members.reduce((n, m) => n + sizes[m], 0),
    largest: Math.max(...s.members.map((m) => sizes[m])),
  }));
}

/**
 * Moves whole workspaces from shards above `high` to the emptiest shard until none is above it, the
 * largest that fits where it goes first (the fewest moves).
 */
function rebalance(result, sizes, high) {
  const shards = result.map((s) => ({ ...s, members: [...s.members] }));
  let moves = 0;
  let moved = 0;
  let dedicated = 0;
  for (const s of shards) {
    // A workspace above `high` on its own gets a new shard of its own: one move.
    for (const m of s.members.filter((w) => sizes[w] > high)) {
      s.members.splice(s.members.indexOf(m), 1);
      s.bytes -= sizes[m];
      dedicated += 1;
      moves += 1;
      moved += sizes[m];
    }
  }
  for (const s of shards) {
    while (s.bytes > high) {
      const emptiest = shards.reduce((a, b) => (a.bytes <= b.bytes ? a : b));
      const room = high - emptiest.bytes;
      const fits = s.members.filter((m) => sizes[m] <= room).sort((a, b) => sizes[a] - sizes[b]);
      if (fits.length === 0) break;
      const m = fits.at(-1);
      s.members.splice(s.members.indexOf(m), 1);
      s.bytes -= sizes[m];
      emptiest.bytes += sizes[m];
      moves += 1;
      moved += sizes[m];
    }
  }
  return { moves, moved, dedicated };
}

function report(name, result, sizes) {
  const bytes = result.map((s) => s.bytes).sort((a, b) => a - b);
  const counts = result.map((s) => s.workspaces).sort((a, b) => a - b);
  const mean = bytes.reduce((a, b) => a + b, 0) / bytes.length;
  const over = result.filter((s) => s.bytes > LIMIT).length;
  const high = result.filter((s) => s.bytes > 0.8 * LIMIT).length;
  const fix = rebalance(result, sizes, 0.8 * LIMIT);
  return {
    rule: name,
    "min GB": (bytes[0] / GB).toFixed(2),
    "median GB": (bytes[Math.floor(bytes.length / 2)] / GB).toFixed(2),
    "max GB": (bytes.at(-1) / GB).toFixed(2),
    "max/mean": (bytes.at(-1) / mean).toFixed(2),
    "workspaces min–max": `${counts[0]}–${counts.at(-1)}`,
    "over 8 GB": high,
    "over 10 GB": over,
    "moves to ≤8 GB": fix.moves,
    "of which to a shard of its own": fix.dedicated,
    "GB moved": (fix.moved / GB).toFixed(1),
  };
}

const rand = random(SEED);
const sizes = finalSizes(rand);
const total = sizes.reduce((a, b) => a + b, 0);
const sorted = [...sizes].sort((a, b) => a - b);
console.log(
  `${WORKSPACES} workspaces, ${(total / GB).toFixed(1)} GB in all (median ${(sorted[WORKSPACES / 2] / MB).toFixed(1)} MB, ` +
    `p99 ${(sorted[Math.floor(WORKSPACES * 0.99)] / MB).toFixed(0)} MB, largest ${(sorted.at(-1) / GB).toFixed(1)} GB, ` +
    `largest 1% hold ${((sorted.slice(Math.floor(WORKSPACES * 0.99)).reduce((a, b) => a + b, 0) / total) * 100).toFixed(0)}%), over ${SHARDS} shards:`,
);
const pickRandom = random(SEED + 1);
console.table([
  report("fewest bytes, then workspaces (the app's)", simulate(sizes, chooseShard), sizes),
  report(
    "fewest workspaces",
    simulate(sizes, (loads) => [...loads].sort((a, b) => a.workspaces - b.workspaces)[0].shard),
    sizes,
  ),
  report(
    "random",
    simulate(sizes, (loads) => loads[Math.floor(pickRandom() * loads.length)].shard),
    sizes,
  ),
]);
