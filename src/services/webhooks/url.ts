/**
 * Which URLs an endpoint may have. In production only https, and never a host that names this side of
 * the network: localhost or an IP literal in a loopback, private, link-local, shared or unspecified
 * range (src/lib/internal-address.ts). Workers' fetch cannot reach private networks anyway; this refuses them
 * plainly at the form, and a self-hosted server also checks where a name resolves (platform/node/guarded-fetch.ts).
 * Outside production plain http and local hosts are allowed, so a developer can point at a local receiver.
 */

import { internalAddress } from "../../lib/internal-address";

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

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
  // An IP literal (IPv6 in brackets); a name is checked where it resolves, at sending time.
  if ((/^[\d.]+$/.test(host) || host.startsWith("[")) && internalAddress(host))
    return { ok: false, message: "The URL must name a public address, not a private, loopback or link-local one." };
  return { ok: true, url: url.href };
}
