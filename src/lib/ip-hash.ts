import { encodeBase64url } from "@oslojs/encoding";

/**
 * A keyed hash (HMAC-SHA256) of an IP address, for telling repeat senders apart without keeping
 * their address. Keyed, because a plain hash of an IPv4 address is undone by trying all 2^32.
 * Null without a key (IP_HASH_KEY) or an address: then nothing about the address is kept.
 */
export async function hashIp(key: string | undefined, ip: string | null): Promise<string | null> {
  if (!key || !ip) return null;
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(`ip:${ip}`));
  return encodeBase64url(new Uint8Array(mac));
}
