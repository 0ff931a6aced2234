/** The objects of R2 on disk (r2-disk.ts): their metadata sidecar, the values a put takes, the R2Object they read as. */

export interface Meta {
  key: string;
  size: number;
  etag: string;
  uploaded: number;
  httpMetadata?: R2HTTPMetadata;
  customMetadata?: Record<string, string>;
}

export type PutValue = string | ArrayBuffer | ArrayBufferView | ReadableStream | Blob | null;
export type PutOptions = { httpMetadata?: R2HTTPMetadata | Headers; customMetadata?: Record<string, string> };

export async function bytesOf(value: PutValue): Promise<Uint8Array> {
  if (value === null) return new Uint8Array(0);
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(await new Response(value as ReadableStream | Blob).arrayBuffer());
}

export function httpMetadataOf(m: PutOptions["httpMetadata"]): R2HTTPMetadata | undefined {
  if (!(m instanceof Headers)) return m;
  return {
    contentType: m.get("Content-Type") ?? undefined,
    contentDisposition: m.get("Content-Disposition") ?? undefined,
  };
}

export function objectOf(meta: Meta): R2Object {
  return {
    key: meta.key,
    version: meta.etag,
    size: meta.size,
    etag: meta.etag,
    httpEtag: `"${meta.etag}"`,
    uploaded: new Date(meta.uploaded),
    httpMetadata: meta.httpMetadata ?? {},
    customMetadata: meta.customMetadata ?? {},
    checksums: { toJSON: () => ({}) },
    storageClass: "Standard",
    writeHttpMetadata(headers: Headers) {
      if (meta.httpMetadata?.contentType) headers.set("Content-Type", meta.httpMetadata.contentType);
    },
  } as unknown as R2Object;
}
