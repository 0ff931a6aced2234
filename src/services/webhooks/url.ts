/**
 * Which URLs an endpoint may have. In production only https, and never a host that names this side of
 * the network: localhost or an IP literal in a loopback, private, link-local, shared or unspecified
 * range (Workers' fetch cannot reach private networks anyway; this refuses them plainly at the form).
 * Outside production plain http and local hosts are allowed, so a developer can point at a local receiver.
 */

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Whether an IPv4 address is loopback, private, link-local, CGNAT, unspecified, broadcast or multicast. */
function internalIpv4(a: number, b: number): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/** Whether a bracketed IPv6 literal (as URL keeps it, compressed) is loopback, unspecified, ULA, link-local or IPv4-mapped internal. */
function internalIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "::1" || h === "::") return true;
  if (/^f[cd][0-9a-f]{0,2}:/.test(h) || /^fe[89ab][0-9a-f]?:/.test(h)) return true;
  // ::ffff:a.b.c.d is written by URL as ::ffff:xxxx:xxxx.
  const mapped = h.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  if (mapped) {
    const hi = Number.parseInt(mapped[1]!, 16);
    return internalIpv4(hi >> 8, hi & 0xff);
  }
  return false;
}

/** Checks a typed endpoint URL; returns it normalised (as URL serialises it) or why it is refused. */
export function checkEndpointUrl(raw: string, production: boolean): UrlCheck {
  const typed = raw.trim();
  if (!typed) return { ok: false, message: "Enter the endpoint's URL." };
  if (typed.length > 2000) return { ok: false, message: "The URL must be at most 2,000 characters." };
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return { ok: false, message: "Enter a full URL, like https://example.com/webhooks." };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && !production))
    return { ok: false, message: production ? "The URL must start with https://." : "The URL must be http or https." };
  if (url.username || url.password) return { ok: false, message: "Leave user names and passwords out of the URL." };
  if (!production) return { ok: true, url: url.href };
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost"))
    return { ok: false, message: "The URL must name a public host, not localhost." };
  const v4 = host.match(IPV4);
  if (v4 && internalIpv4(Number(v4[1]), Number(v4[2])))
    return { ok: false, message: "The URL must name a public address, not a private, loopback or link-local one." };
  if (host.startsWith("[") && internalIpv6(host))
    return { ok: false, message: "The URL must name a public address, not a private, loopback or link-local one." };
  return { ok: true, url: url.href };
}
