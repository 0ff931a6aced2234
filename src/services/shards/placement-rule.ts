/**
 * The placement rule, in one small function with no imports, so that scripts/simulate-placement.mjs
 * runs the very same code over 10,000 simulated workspaces. Change the rule here.
 */

export interface DatabaseLoad<Name extends string = string> {
  shard: Name;
  /** The database's size as last measured (0 before the first measurement). */
  bytes: number;
  workspaces: number;
}

/** Sizes within this many bytes count as equal: a measurement is never that exact anyway. */
const SAME_SIZE = 1_000_000;

/**
 * The database with the fewest bytes, then the fewest workspaces, then the first named. Bytes come
 * from the last measurement, so between measurements the workspace count spreads a burst of sign-ups
 * instead of sending all to the one that was smallest.
 *
 * @example chooseShard([{ shard: "SHARD_0", bytes: 9e9, workspaces: 10 }, { shard: "SHARD_1", bytes: 1e9, workspaces: 900 }]) // "SHARD_1"
 */
export function chooseShard<Name extends string>(loads: readonly DatabaseLoad<Name>[]): Name {
  if (loads.length === 0) throw new Error("no database to place a workspace on");
  const sorted = [...loads].sort(
    (a, b) => Math.round(a.bytes / SAME_SIZE) - Math.round(b.bytes / SAME_SIZE) || a.workspaces - b.workspaces,
  );
  return sorted[0]!.shard;
}
