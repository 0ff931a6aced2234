/** Company web domains, normalised so "https://www.Example.com/about" and "example.com" are one. */

export type DomainResult = { ok: true; domain: string } | { ok: false; message: string };

/** The bare host of a domain or URL: lower case, no scheme, no "www.", no port, no path. */
export function normalizeDomain(input: string): DomainResult {
  const trimmed = input.trim();
  if (trimmed.length > 253) return { ok: false, message: "A domain has at most 253 characters." };
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`).hostname;
  } catch {
    return { ok: false, message: "Enter a domain like example.com." };
  }
  host = host
    .toLowerCase()
    .replace(/^www\./, "")
    .replace(/\.$/, "");
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(host)) {
    return { ok: false, message: "Enter a domain like example.com." };
  }
  return { ok: true, domain: host };
}
