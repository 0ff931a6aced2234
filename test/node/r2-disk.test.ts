/**
 * R2 on disk leaves nothing of a workspace behind when a write goes wrong: a full disk part way through a put, or a
 * crash between the bytes and their metadata. What erasure and retention delete (what list() finds under a prefix)
 * then includes every byte written under it.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { deleteImportFiles } from "../../src/services/import/files";
import { ORPHAN_MS, r2OnDisk } from "../../src/platform/node/r2-disk";

// Node's own fs, with a switch that makes a write stop part way as a full disk does.
const disk = vi.hoisted(() => ({ full: false }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const writeFile: typeof fs.writeFile = async (file, data, options) => {
    if (!disk.full || typeof data !== "object") return fs.writeFile(file, data, options);
    const bytes = data as Uint8Array;
    await fs.writeFile(file, bytes.subarray(0, bytes.byteLength >> 1), options);
    throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  };
  return { ...fs, default: { ...fs, writeFile }, writeFile };
});

const tempDir = (name: string) => mkdtempSync(path.join(tmpdir(), `customertrackr-${name}-`));
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));

describe("R2 on disk when a write goes wrong", () => {
  it("fails a put on a full disk and leaves no part of its bytes behind", async () => {
    const root = tempDir("r2-full");
    const files = r2OnDisk(root);
    disk.full = true;
    try {
      await expect(files.put("imports/t1/job/upload", "name,email\nAda,ada@engines.example\n")).rejects.toThrow(
        /ENOSPC/,
      );
    } finally {
      disk.full = false;
    }
    expect(filesUnder(root)).toEqual([]);
    expect(await files.get("imports/t1/job/upload")).toBeNull();
  });

  it("deletes, with a prefix's objects, bytes a crash left without metadata and half-written temporary files", async () => {
    const root = tempDir("r2-orphans");
    const files = r2OnDisk(root);
    await files.put("imports/t1/job/upload", "the workspace's contacts");
    await files.put("imports/t1/job/chunk-0.json", "[]");
    await files.put("imports/t2/job/upload", "another workspace's");
    const folder = path.join(root, "objects", "imports", "t1", "job");
    // A crash after the bytes were renamed into place, before their metadata; another while a chunk was written.
    rmSync(path.join(folder, "upload~meta.json"));
    const tmp = path.join(folder, `chunk-1%2Ejson~obj.${crypto.randomUUID()}.tmp`);
    writeFileSync(tmp, '[{"email":"half');
    const old = new Date(Date.now() - ORPHAN_MS - 1_000);
    for (const f of [path.join(folder, "upload~obj"), tmp]) utimesSync(f, old, old);

    // Erasure's and retention's way: what list() finds under the job's prefix, deleted.
    await deleteImportFiles(files, { fileKey: "imports/t1/job" });
    expect(filesUnder(folder)).toEqual([]);
    expect(await (await files.get("imports/t2/job/upload"))!.text()).toBe("another workspace's");
  });

  it("leaves the bytes of a put still in flight, renamed a moment before their metadata", async () => {
    const root = tempDir("r2-in-flight");
    const files = r2OnDisk(root);
    await files.put("exports/a.zip", "zip");
    const folder = path.join(root, "objects", "exports");
    rmSync(path.join(folder, "a%2Ezip~meta.json"));
    await files.list({ prefix: "exports/" });
    expect(readdirSync(folder)).toEqual(["a%2Ezip~obj"]);
  });
});
