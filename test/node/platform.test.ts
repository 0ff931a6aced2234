/**
 * The Node platform's pieces keep the promises of the Workers bindings they stand in for: D1's result
 * shapes and all-or-nothing batches, R2's listing and ranges, the Queue's at-least-once delivery.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { describe, expect, it, vi } from "vitest";
import { openPlatform } from "../../src/node/server";
import { d1OverLibsql, d1OverLocalFile } from "../../src/platform/node/d1-libsql";
import { startCronTimer } from "../../src/platform/node/cron-timer";
import { LocalQueue } from "../../src/platform/node/queue-local";
import { QUEUE_CONCURRENCY } from "../../src/platform/node/platform";
import { ABANDONED_UPLOAD_MS, r2OnDisk } from "../../src/platform/node/r2-disk";
import type { JobMessage } from "../../src/jobs";

const tempDir = (name: string) => mkdtempSync(path.join(tmpdir(), `customertrackr-${name}-`));

// A libSQL server goes through @libsql/client; a local file through the facade's own connection, which keeps its
// statements prepared. Both must answer as D1 does.
const facades: [string, () => D1Database][] = [
  ["through @libsql/client", () => d1OverLibsql(createClient({ url: `file:${path.join(tempDir("d1"), "t.db")}` }))],
  ["on a local file", () => d1OverLocalFile(path.join(tempDir("d1-local"), "t.db")).db],
];

describe.each(facades)("D1 over libSQL %s", (_, open) => {
  const db = open();

  it("answers with D1's shapes: results and meta, raw arrays, first and first(column)", async () => {
    await db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, secret BLOB)");
    const inserted = await db
      .prepare("INSERT INTO t (name, secret) VALUES (?, ?)")
      .bind("a", new Uint8Array([1, 2]))
      .run();
    expect(inserted.success).toBe(true);
    expect(inserted.meta.changes).toBe(1);
    expect(inserted.meta.last_row_id).toBe(1);
    const all = await db.prepare("SELECT id, name, secret FROM t").all();
    expect(all.results).toEqual([{ id: 1, name: "a", secret: [1, 2] }]);
    expect(await db.prepare("SELECT id, name FROM t").raw()).toEqual([[1, "a"]]);
    expect(await db.prepare("SELECT id, name FROM t").raw({ columnNames: true })).toEqual([
      ["id", "name"],
      [1, "a"],
    ]);
    expect(await db.prepare("SELECT name FROM t WHERE id = ?").bind(1).first("name")).toBe("a");
    expect(await db.prepare("SELECT name FROM t WHERE id = ?").bind(9).first()).toBeNull();
    await expect(db.prepare("SELECT name FROM t").first("nope")).rejects.toThrow(/D1_COLUMN_NOTFOUND/);
    await expect(db.prepare("SELECT ?").bind(undefined).all()).rejects.toThrow(/D1_TYPE_ERROR/);
  });

  it("runs a batch as one transaction: a failing statement leaves nothing of the others", async () => {
    await db.exec("CREATE TABLE b (name TEXT PRIMARY KEY)");
    const insert = (name: string) => db.prepare("INSERT INTO b (name) VALUES (?)").bind(name);
    const results = await db.batch([insert("x"), db.prepare("SELECT count(*) AS n FROM b")]);
    expect(results[1]!.results).toEqual([{ n: 1 }]);
    await expect(db.batch([insert("y"), insert("x")])).rejects.toThrow(/D1_ERROR: UNIQUE constraint failed: b.name/);
    expect(await db.prepare("SELECT name FROM b ORDER BY name").raw()).toEqual([["x"]]);
  });

  it("reads a table's new columns after a schema change, though its statement was prepared before", async () => {
    await db.exec("CREATE TABLE s (id INTEGER PRIMARY KEY)");
    await db.prepare("INSERT INTO s (id) VALUES (1)").run();
    expect((await db.prepare("SELECT * FROM s").all()).results).toEqual([{ id: 1 }]);
    await db.exec("ALTER TABLE s ADD COLUMN label TEXT DEFAULT 'new'");
    expect((await db.prepare("SELECT * FROM s").all()).results).toEqual([{ id: 1, label: "new" }]);
  });

  it("offers sessions with the same statements and no bookmark (one database has no replicas)", async () => {
    const session = db.withSession("first-unconstrained");
    expect(await session.prepare("SELECT 1 AS one").first("one")).toBe(1);
    expect(session.getBookmark()).toBeNull();
  });
});

describe("D1 over a local libSQL file, beside another process", () => {
  it("waits for another process's write to end, rather than failing as busy", async () => {
    const file = path.join(tempDir("d1-busy"), "t.db");
    const { db, close } = d1OverLocalFile(file);
    await db.exec("CREATE TABLE w (n INTEGER)");
    // Another process (as `npm run db:migrate:node` beside the server) holds the write lock for 400 ms.
    const holder = spawn(process.execPath, [
      "-e",
      `const D = require("libsql"); const d = new D(${JSON.stringify(file)}); d.exec("BEGIN IMMEDIATE");
       d.exec("INSERT INTO w VALUES (1)"); console.log("locked"); setTimeout(() => d.exec("COMMIT"), 400);`,
    ]);
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on("data", (d: Buffer) => d.toString().includes("locked") && resolve());
      holder.on("exit", (code) => reject(new Error(`the holder exited (${code}) before locking`)));
    });
    const started = Date.now();
    await db.batch([db.prepare("INSERT INTO w VALUES (2)")]);
    expect(Date.now() - started).toBeGreaterThan(200);
    expect(await db.prepare("SELECT n FROM w ORDER BY n").raw()).toEqual([[1], [2]]);
    close();
  });
});

describe("R2 on disk", () => {
  it("puts, gets whole and by range, lists by prefix page by page, and deletes", async () => {
    const root = tempDir("r2");
    const files = r2OnDisk(root);
    await files.put("imports/t1/a/upload", "hello world", { customMetadata: { tenantId: "t1" } });
    for (const n of ["1", "2", "3"]) await files.put(`imports/t1/a/chunk-${n}`, n);
    await files.put("imports/t2/b/upload", "other");
    const got = await files.get("imports/t1/a/upload");
    expect(await got!.text()).toBe("hello world");
    expect(got!.customMetadata).toEqual({ tenantId: "t1" });
    expect(await (await files.get("imports/t1/a/upload", { range: { offset: 6, length: 5 } }))!.text()).toBe("world");
    expect(await new Response((await files.get("imports/t1/a/upload"))!.body).text()).toBe("hello world");

    const first = await files.list({ prefix: "imports/t1/", limit: 2 });
    expect(first.objects.map((o) => o.key)).toEqual(["imports/t1/a/chunk-1", "imports/t1/a/chunk-2"]);
    expect(first.truncated).toBe(true);
    const rest = await files.list({ prefix: "imports/t1/", limit: 2, cursor: first.truncated ? first.cursor : "" });
    expect(rest.objects.map((o) => o.key)).toEqual(["imports/t1/a/chunk-3", "imports/t1/a/upload"]);
    expect(rest.truncated).toBe(false);

    await files.delete(["imports/t1/a/upload", "imports/t1/a/chunk-1"]);
    expect(await files.get("imports/t1/a/upload")).toBeNull();
    expect((await files.list({ prefix: "imports/" })).objects.length).toBe(3);
  });

  it("keeps every key inside its folder, whatever the key says", async () => {
    const root = tempDir("r2-escape");
    const files = r2OnDisk(path.join(root, "files"));
    await files.put("../../escape", "x");
    expect(readdirSync(root)).toEqual(["files"]);
    expect(await (await files.get("../../escape"))!.text()).toBe("x");
  });

  it("assembles a multipart upload in part order", async () => {
    const files = r2OnDisk(tempDir("r2-multipart"));
    const upload = await files.createMultipartUpload("exports/a.zip");
    const second = await upload.uploadPart(2, new TextEncoder().encode("world"));
    const first = await upload.uploadPart(1, new TextEncoder().encode("hello "));
    await upload.complete([second, first]);
    expect(await (await files.get("exports/a.zip"))!.text()).toBe("hello world");
  });

  it("aborts an upload given up part way (a restart while an export was built): its parts leave the disk", async () => {
    const root = tempDir("r2-abandoned");
    const files = r2OnDisk(root);
    const killed = await files.createMultipartUpload("exports/killed.zip");
    await killed.uploadPart(1, new TextEncoder().encode("a workspace's contacts"));
    const live = await files.createMultipartUpload("exports/live.zip");
    await live.uploadPart(1, new TextEncoder().encode("still going"));
    // A day without a part written: the first upload's folder is that old.
    const dayAgo = new Date(Date.now() - ABANDONED_UPLOAD_MS - 60_000);
    utimesSync(path.join(root, "uploads", killed.uploadId), dayAgo, dayAgo);
    await files.list({ prefix: "exports/" });
    expect(readdirSync(path.join(root, "uploads"))).toEqual([live.uploadId]);
    await live.complete([await live.uploadPart(1, new TextEncoder().encode("done"))]);
    expect(await (await files.get("exports/live.zip"))!.text()).toBe("done");
  });
});

describe("the in-process queue", () => {
  it("delivers at least once: a consumer that throws gets the message again, then it is acked", async () => {
    const queue = new LocalQueue<{ n: number }>();
    const seen: { n: number; attempts: number }[] = [];
    queue.consume(async (batch) => {
      const m = batch.messages[0]!;
      seen.push({ n: m.body.n, attempts: m.attempts });
      if (m.attempts === 1) throw new Error("a step failed");
    });
    const body = { n: 1 };
    await queue.send(body);
    body.n = 2; // the queue keeps what was sent, not what the sender changes afterwards
    await new Promise((r) => setTimeout(r, 50));
    await queue.idle();
    expect(seen).toEqual([
      { n: 1, attempts: 1 },
      { n: 1, attempts: 2 },
    ]);
  }, 10_000);

  it("retries with the delay the consumer asks for, and drops a message after its retries", async () => {
    const queue = new LocalQueue<string>({ maxRetries: 2 });
    const attempts: number[] = [];
    queue.consume(async (batch) => {
      attempts.push(batch.messages[0]!.attempts);
      batch.messages[0]!.retry({ delaySeconds: 0.01 });
    });
    await queue.sendBatch([{ body: "x" }]);
    await new Promise((r) => setTimeout(r, 50));
    await queue.idle();
    expect(attempts).toEqual([1, 2, 3]);
  });
});

describe("the local database as the server opens it", () => {
  it("runs every request's statement in WAL mode synced at checkpoints, after the migrations", async () => {
    const root = path.resolve(__dirname, "../..");
    const platform = await openPlatform(root, { DATA_DIR: tempDir("pragmas") });
    try {
      // Several statements at once, as concurrent requests send them: each lands on a connection so set.
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          i % 2
            ? platform.env.DB.prepare("PRAGMA synchronous").first<number>("synchronous")
            : platform.env.DB.batch([platform.env.DB.prepare("PRAGMA synchronous")]).then(
                (r) => (r[0]!.results[0] as { synchronous: number }).synchronous,
              ),
        ),
      );
      expect(answers).toEqual(Array(8).fill(1)); // NORMAL
      expect(await platform.env.DB.prepare("PRAGMA journal_mode").first<string>("journal_mode")).toBe("wal");
      expect(
        await platform.env.DB.prepare("SELECT count(*) AS n FROM d1_migrations").first<number>("n"),
      ).toBeGreaterThan(30);
    } finally {
      await platform.close();
    }
  });
});

describe("the platform's queue", () => {
  it("runs the next job step while another waits on the network, as Queues run consumers side by side", async () => {
    const root = path.resolve(__dirname, "../..");
    const platform = await openPlatform(root, { DATA_DIR: tempDir("queue") });
    try {
      let release = () => {};
      const slow = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      platform.jobs.consume(async (batch) => {
        const body = batch.messages[0]!.body as unknown as { step: string };
        if (body.step === "webhook") await slow; // a receiver that does not answer
        handled.push(body.step);
      });
      await platform.jobs.send({ step: "webhook" } as never);
      await platform.jobs.send({ step: "import" } as never);
      await vi.waitFor(() => expect(handled).toEqual(["import"]), { timeout: 2_000 });
      release();
      await platform.jobs.idle();
      expect(handled).toEqual(["import", "webhook"]);
    } finally {
      await platform.close();
    }
  });

  it("runs a job's step at once behind a backlog of webhook deliveries, and queues a waiting delivery once", async () => {
    const root = path.resolve(__dirname, "../..");
    const platform = await openPlatform(root, { DATA_DIR: tempDir("lanes") });
    try {
      let release = () => {};
      const receivers = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      const queue = async (batch: MessageBatch<JobMessage>) => {
        const body = batch.messages[0]!.body;
        if (body.type === "webhooks.deliver") await receivers; // receivers that do not answer
        handled.push(body.type === "webhooks.deliver" ? body.deliveryId : body.type);
      };
      platform.run({ queue } as never, { cron: false });
      const delivery = (n: number) => ({ type: "webhooks.deliver" as const, tenantId: "t1", deliveryId: `d${n}` });
      // The sweep's backlog, then the same ones again (silent for minutes), then an import's step.
      for (let n = 0; n < 200; n++) await platform.env.JOBS.send(delivery(n));
      await platform.env.JOBS.sendBatch(Array.from({ length: 200 }, (_, n) => ({ body: delivery(n) })));
      await platform.env.JOBS.send({ type: "import.analyse", importId: "i1", tenantId: "t1" });
      await vi.waitFor(() => expect(handled).toEqual(["import.analyse"]), { timeout: 2_000 });
      release();
      // Sent again, only the deliveries already running (as many as run at once) came twice; none that waited did.
      await vi.waitFor(() => expect(handled).toHaveLength(201 + QUEUE_CONCURRENCY), { timeout: 5_000 });
      expect(new Set(handled).size).toBe(201);
    } finally {
      await platform.close();
    }
  });

  it("on shutdown, lets a running job finish its writes before the database closes (a deploy's SIGTERM)", async () => {
    const root = path.resolve(__dirname, "../..");
    const platform = await openPlatform(root, { DATA_DIR: tempDir("shutdown") });
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const outcome: string[] = [];
    platform.jobs.consume(async () => {
      started();
      await new Promise((r) => setTimeout(r, 300)); // an import step halfway through its chunk
      await platform.env.DB.prepare("INSERT INTO rate_limits (key, window_start, count) VALUES ('job', 0, 1)")
        .run()
        .then(
          () => outcome.push("committed"),
          (err) => outcome.push(`failed: ${err}`),
        );
    });
    await platform.jobs.send({ step: "import" } as never);
    await running;
    await platform.close();
    expect(outcome).toEqual(["committed"]);
  });

  it("on shutdown, waits for the cron's run under way to end", async () => {
    const ended: number[] = [];
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const cron = startCronTimer(async (controller) => {
      started();
      await new Promise((r) => setTimeout(r, 300)); // a retention sweep between two statements
      ended.push(controller.scheduledTime);
    }, 50);
    await running;
    await cron.stop();
    expect(ended).toHaveLength(1);
  });
});
