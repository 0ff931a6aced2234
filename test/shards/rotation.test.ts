/**
 * Which databases one cron run sweeps: DB every time, the shards in turn when there are more than a run can
 * take, so every shard is reached within a bounded number of minutes and no run goes past its share of D1's
 * 1,000 queries per invocation.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { databasesForRun } from "../../src/services/shards/databases";

const MINUTE = 60_000;

describe("the databases a cron run sweeps", () => {
  it("are all of them when they fit", () => {
    expect(databasesForRun(env, Date.now(), 8)).toEqual(["DB", "SHARD_0", "SHARD_1", "SHARD_2"]);
  });

  it("take turns when they do not: DB each minute, every shard within ceil(shards / room) minutes", () => {
    const start = Math.floor(Date.now() / MINUTE) * MINUTE;
    for (const count of [2, 3]) {
      const room = count - 1;
      const runs = Array.from({ length: Math.ceil(3 / room) }, (_, i) =>
        databasesForRun(env, start + i * MINUTE, count),
      );
      for (const run of runs) {
        expect(run[0]).toBe("DB");
        expect(run).toHaveLength(count);
      }
      expect(new Set(runs.flat())).toEqual(new Set(["DB", "SHARD_0", "SHARD_1", "SHARD_2"]));
    }
  });

  it("are only the bound ones", () => {
    const { SHARD_1: _, ...withoutOne } = env;
    expect(databasesForRun(withoutOne as typeof env, Date.now(), 8)).toEqual(["DB", "SHARD_0", "SHARD_2"]);
  });
});
