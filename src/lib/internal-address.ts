/**
 * Whether an IP address is on this side of the network (loopback, private, link-local, shared, benchmarking,
 * multicast, unspecified), or an IPv6 form that carries such an IPv4 address (mapped, compatible, NAT64, 6to4).
 * Webhook endpoints may not name one (webhooks/url.ts) nor, on a self-hosted server, resolve to one
 * (platform/node/guarded-fetch.ts).
 */

/** An IPv4 address's four numbers, or null. */
function ipv4Parts(ip: string): number[] | null {
  const m = ip.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

function internalIpv4([a, b, c]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a! >= 224
  );
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part allowed), or null. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/%.*$/, "");
  const dotted = text.match(/^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/);
  if (dotted) {
    const v4 = ipv4Parts(dotted[2]!);
    if (!v4) return null;
    text = `${dotted[1]}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}

const embedded = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];

/** `ip`: an address as DNS or a socket gives it (IPv6 without brackets). An unreadable one counts as internal. */
export function internalAddress(ip: string): boolean {
  const v4 = ipv4Parts(ip);
  if (v4) return internalIpv4(v4);
  const g = ipv6Groups(ip.replace(/^\[|\]$/g, ""));
  if (!g) return true;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8) || (zeros(7) && g[7] === 1)) return true; // :: and ::1
  if ((g[0]! & 0xfe00) === 0xfc00 || (g[0]! & 0xffc0) === 0xfe80 || (g[0]! & 0xff00) === 0xff00) return true;
  if (zeros(5) && (g[5] === 0xffff || g[5] === 0)) return internalIpv4(embedded(g[6]!, g[7]!)); // mapped, compatible
  if (g[0] === 0x64 && g[1] === 0xff9b) return g[2] !== 0 || internalIpv4(embedded(g[6]!, g[7]!)); // NAT64
  if (g[0] === 0x2002) return internalIpv4(embedded(g[1]!, g[2]!)); // 6to4
  return false;
}
