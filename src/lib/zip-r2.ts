/**
 * Writes one ZIP archive into R2 as it is made, so memory holds one part and one source chunk,
 * never the archive.
 *
 * fflate's streaming `Zip` deflates each file as its chunks are pushed (synchronously: workerd has
 * no Web Workers for fflate's async classes) and hands out compressed bytes; they are cut into R2
 * multipart-upload parts of exactly PART_BYTES (R2 wants every part but the last the same size,
 * at least 5 MiB), and each part is uploaded as soon as it is full. Files are added one after the
 * other, each finished before the next begins, so fflate never buffers a waiting file.
 */
import { Zip, ZipDeflate } from "fflate";

/** R2's smallest part; also the most this writer keeps in memory (plus one chunk). */
export const PART_BYTES = 5 * 1024 * 1024;

export class R2ZipWriter {
  private readonly zip: Zip;
  private readonly parts: R2UploadedPart[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private failure: Error | null = null;
  private written = 0;

  private constructor(
    private readonly upload: R2MultipartUpload,
    private readonly mtime: Date,
    private readonly onProgress: () => Promise<void>,
  ) {
    this.zip = new Zip((err, data) => {
      if (err) this.failure = err;
      else if (data.length) {
        this.pending.push(data);
        this.pendingBytes += data.length;
      }
    });
  }

  /**
   * Starts the archive at `key`. `onProgress` runs after every chunk written (a job's heartbeat; it
   * throttles itself); whatever it throws stops the archive.
   */
  static async open(
    bucket: R2Bucket,
    key: string,
    opts: { mtime: number; onProgress?: () => Promise<void> },
  ): Promise<R2ZipWriter> {
    const upload = await bucket.createMultipartUpload(key, { httpMetadata: { contentType: "application/zip" } });
    return new R2ZipWriter(upload, new Date(opts.mtime), opts.onProgress ?? (async () => {}));
  }

  /** Adds one file from its chunks (text is written as UTF-8); returns its uncompressed size. */
  async addFile(
    name: string,
    chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  ): Promise<number> {
    const encoder = new TextEncoder();
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = this.mtime;
    this.zip.add(file);
    let size = 0;
    for await (const chunk of chunks) {
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      if (bytes.length === 0) continue;
      size += bytes.length;
      file.push(bytes, false);
      await this.flush(false);
      await this.onProgress();
    }
    file.push(new Uint8Array(0), true);
    await this.flush(false);
    return size;
  }

  /** Finishes the archive: the central directory, the last part, and the upload. Returns the ZIP's size in bytes. */
  async close(): Promise<number> {
    this.zip.end();
    await this.flush(true);
    await this.upload.complete(this.parts);
    return this.written;
  }

  /** Gives up: the parts uploaded so far are discarded by R2. */
  async abort(): Promise<void> {
    try {
      await this.upload.abort();
    } catch {
      // Nothing more can be done; R2 expires abandoned uploads on its own.
    }
  }

  private async flush(final: boolean): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.pendingBytes >= PART_BYTES) await this.uploadPart(this.take(PART_BYTES));
    if (final && (this.pendingBytes > 0 || this.parts.length === 0))
      await this.uploadPart(this.take(this.pendingBytes));
  }

  /** The first `n` pending bytes as one array. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.pending[0]!;
      const need = n - filled;
      if (head.length <= need) {
        out.set(head, filled);
        filled += head.length;
        this.pending.shift();
      } else {
        out.set(head.subarray(0, need), filled);
        this.pending[0] = head.subarray(need);
        filled += need;
      }
    }
    this.pendingBytes -= n;
    return out;
  }

  private async uploadPart(bytes: Uint8Array): Promise<void> {
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes));
    this.written += bytes.length;
  }
}
