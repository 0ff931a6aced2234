/**
 * R2Bucket on the local disk: the subset the app uses (put, get with a range, head, delete of one or
 * many keys, list by prefix with a cursor, multipart uploads for export archives). An object is two
 * files, its bytes and a JSON sidecar of its metadata, each written to a temporary name and renamed,
 * so a reader never sees half an object. Files are this user's alone (0600 in 0700 folders).
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { bytesOf, httpMetadataOf, type Meta, objectOf, type PutOptions, type PutValue } from "./r2-disk-object";

const OBJECT = "~obj";
const META = "~meta.json";
/**
 * A multipart upload with no part written for this long is aborted, its parts deleted: a build killed part way (a restart
 * while "Download my data" is being made) must not leave a workspace's data on disk, where no listing, sweep or
 * erasure sees it. R2 has a rule to the same end; a day is the export archive's own life.
 */
export const ABANDONED_UPLOAD_MS = 24 * 3_600_000;
/**
 * Bytes without their metadata (a crash between the two renames of a put) or a temporary file (a crash or a full
 * disk while writing) this old are left by a put that will never finish: list() removes those under its prefix, so
 * erasure and retention, which delete what list() returns, leave nothing behind. A put in flight renames its metadata
 * milliseconds after its bytes, and a temporary file's time moves with every write.
 */
export const ORPHAN_MS = 60_000;
/** A temporary file of a put: `<base>~obj.<uuid>.tmp` or `<base>~meta.json.<uuid>.tmp`. */
const TEMPORARY = /(~obj|~meta\.json)\.[0-9a-f-]{36}\.tmp$/;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** One path segment per key segment, escaped so no key can climb out of the root ("..", "~", empty). */
function segment(s: string): string {
  return s === "" ? "%" : encodeURIComponent(s).replace(/\./g, "%2E").replace(/~/g, "%7E");
}

/** The key segment a path segment stands for (segment's inverse); null for a name segment never makes. */
function unsegment(s: string): string | null {
  try {
    return s === "%" ? "" : decodeURIComponent(s);
  } catch {
    return null;
  }
}

export class DiskBucket {
  constructor(readonly root: string) {}

  private base(key: string): string {
    return path.join(this.root, "objects", ...key.split("/").map(segment));
  }

  private async writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
    const tmp = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, data, { mode: FILE_MODE });
      await rename(tmp, file);
    } catch (err) {
      // A full disk leaves part of the bytes in the temporary file: they go, and the put fails.
      await rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
  }

  private async meta(key: string): Promise<Meta | null> {
    try {
      return JSON.parse(await readFile(this.base(key) + META, "utf8")) as Meta;
    } catch {
      return null;
    }
  }

  async put(key: string, value: PutValue, options: PutOptions = {}): Promise<R2Object> {
    const bytes = await bytesOf(value);
    const meta: Meta = {
      key,
      size: bytes.byteLength,
      etag: createHash("md5").update(bytes).digest("hex"),
      uploaded: Date.now(),
      httpMetadata: httpMetadataOf(options.httpMetadata),
      customMetadata: options.customMetadata,
    };
    await this.writeAtomically(this.base(key) + OBJECT, bytes);
    await this.writeAtomically(this.base(key) + META, JSON.stringify(meta));
    return objectOf(meta);
  }

  head(key: string): Promise<R2Object | null> {
    return this.meta(key).then((m) => (m ? objectOf(m) : null));
  }

  async get(key: string, options: { range?: R2Range } = {}): Promise<R2ObjectBody | null> {
    const meta = await this.meta(key);
    if (!meta) return null;
    const file = this.base(key) + OBJECT;
    let start = 0;
    let end = meta.size; // exclusive
    const range = options.range as { offset?: number; length?: number; suffix?: number } | undefined;
    if (range?.suffix !== undefined) start = Math.max(0, meta.size - range.suffix);
    else if (range) {
      start = Math.min(meta.size, range.offset ?? 0);
      if (range.length !== undefined) end = Math.min(meta.size, start + range.length);
    }
    const read = async () => {
      const all = await readFile(file);
      return all.subarray(start, end);
    };
    const stream = () =>
      end > start
        ? (Readable.toWeb(createReadStream(file, { start, end: end - 1 })) as unknown as ReadableStream)
        : new Blob([]).stream();
    let body: ReadableStream | undefined;
    const object = objectOf(meta);
    return Object.assign(object, {
      get body() {
        body ??= stream();
        return body;
      },
      get bodyUsed() {
        return body !== undefined;
      },
      range: range ? { offset: start, length: end - start } : undefined,
      arrayBuffer: async () => {
        const b = await read();
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      },
      bytes: async () => new Uint8Array(await read()),
      text: async () => new TextDecoder().decode(await read()),
      json: async () => JSON.parse(new TextDecoder().decode(await read())),
      blob: async () => new Blob([await read()]),
    }) as unknown as R2ObjectBody;
  }

  async delete(keys: string | string[]): Promise<void> {
    // The bytes first: a crash between the two leaves a listed key that a later delete finds, never bytes no one sees.
    for (const key of Array.isArray(keys) ? keys : [keys]) {
      await rm(this.base(key) + OBJECT, { force: true });
      await rm(this.base(key) + META, { force: true });
    }
  }

  /** Deletes the parts of uploads begun before `now - ABANDONED_UPLOAD_MS` and never completed. */
  async abortAbandonedUploads(now = Date.now()): Promise<number> {
    const dir = path.join(this.root, "uploads");
    let aborted = 0;
    for (const id of await readdir(dir).catch(() => [] as string[])) {
      const started = await stat(path.join(dir, id)).catch(() => null);
      // The folder changes with each part written: a day without one is an upload given up.
      if (!started || started.mtimeMs > now - ABANDONED_UPLOAD_MS) continue;
      await rm(path.join(dir, id), { recursive: true, force: true });
      aborted += 1;
    }
    return aborted;
  }

  /** Keys in byte order after `cursor` (the last key of the previous page), as R2 lists them. */
  async list(options: R2ListOptions = {}): Promise<R2Objects> {
    // The export sweep lists every hour: abandoned uploads go then, as R2's own rule removes them.
    await this.abortAbandonedUploads();
    const prefix = options.prefix ?? "";
    const limit = Math.min(1000, options.limit ?? 1000);
    const parts = prefix.split("/");
    // The folder of the prefix's complete segments holds every key that can start with it.
    const dir = path.join(this.root, "objects", ...parts.slice(0, -1).map(segment));
    const keys: string[] = [];
    const orphans: { file: string; key: string }[] = [];
    await this.collect(dir, keys, orphans);
    await this.removeOrphans(orphans.filter((o) => o.key.startsWith(prefix)));
    const after = options.cursor ?? "";
    const matching = keys.filter((k) => k.startsWith(prefix) && byBytes(k, after) > 0).sort(byBytes);
    const page = matching.slice(0, limit);
    const objects: R2Object[] = [];
    for (const key of page) {
      const meta = await this.meta(key);
      if (meta) objects.push(objectOf(meta));
    }
    const truncated = matching.length > limit;
    return truncated
      ? { objects, truncated, cursor: page.at(-1)!, delimitedPrefixes: [] }
      : { objects, truncated, delimitedPrefixes: [] };
  }

  /** The listed keys under `dir` (from their metadata), and the files of puts that never finished. */
  private async collect(dir: string, into: string[], orphans: { file: string; key: string }[]): Promise<void> {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await this.collect(full, into, orphans);
      else if (e.name.endsWith(META)) {
        const meta = JSON.parse(await readFile(full, "utf8")) as Meta;
        into.push(meta.key);
      } else {
        const base = TEMPORARY.test(e.name)
          ? e.name.replace(TEMPORARY, "")
          : e.name.endsWith(OBJECT) && !names.has(e.name.slice(0, -OBJECT.length) + META)
            ? e.name.slice(0, -OBJECT.length)
            : null;
        const key = base === null ? null : this.keyOf(path.join(dir, base));
        if (key !== null) orphans.push({ file: full, key });
      }
    }
  }

  /** The key whose files start with `base` (a path under objects/), or null. */
  private keyOf(base: string): string | null {
    const segments = path.relative(path.join(this.root, "objects"), base).split(path.sep).map(unsegment);
    return segments.some((s) => s === null) ? null : segments.join("/");
  }

  /** Deletes the orphaned files old enough that no put can still be writing them (ORPHAN_MS). */
  private async removeOrphans(orphans: { file: string }[], now = Date.now()): Promise<void> {
    for (const { file } of orphans) {
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs <= now - ORPHAN_MS) await rm(file, { force: true });
    }
  }

  async createMultipartUpload(key: string, options: PutOptions = {}): Promise<R2MultipartUpload> {
    const uploadId = randomUUID();
    const dir = path.join(this.root, "uploads", uploadId);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    const partFile = (n: number) => path.join(dir, String(n).padStart(5, "0"));
    return {
      key,
      uploadId,
      uploadPart: async (partNumber: number, value: PutValue) => {
        const bytes = await bytesOf(value);
        await writeFile(partFile(partNumber), bytes, { mode: FILE_MODE });
        return { partNumber, etag: createHash("md5").update(bytes).digest("hex") };
      },
      complete: async (uploaded: R2UploadedPart[]) => {
        const ordered = [...uploaded].sort((a, b) => a.partNumber - b.partNumber);
        const chunks = await Promise.all(ordered.map((p) => readFile(partFile(p.partNumber))));
        const object = await this.put(key, Buffer.concat(chunks), options);
        await rm(dir, { recursive: true, force: true });
        return object;
      },
      abort: async () => {
        await rm(dir, { recursive: true, force: true });
      },
    } as unknown as R2MultipartUpload;
  }
}

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The disk bucket typed as the binding the app declares (src/env.ts). */
export function r2OnDisk(root: string): R2Bucket {
  return new DiskBucket(root) as unknown as R2Bucket;
}
