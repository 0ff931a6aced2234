/**
 * Company web domains, normalised so "https://www.Example.com/about" and "example.com" are one. An
 * internationalised domain is kept in its ASCII form (xn--…, what the URL parser gives and what matches), and
 * shown and searched in its own script.
 */
import { domainToUnicode } from "node:url";

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

// Scripts whose letters pass for one another ("аpple" with a Cyrillic а): a label mixing them stays in ASCII.
const LOOK_ALIKE_SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];

/**
 * A stored (ASCII) domain as people write it: "xn--mnchen-3ya.de" → "münchen.de"; anything else as it is, and
 * as browsers do, a label mixing Latin, Cyrillic or Greek letters stays in its xn-- form.
 */
export function displayDomain(domain: string): string {
  if (!domain.includes("xn--")) return domain;
  // The URL standard's domain to Unicode (workerd's node:url and Node's alike); "" for one it cannot read.
  const shown = domainToUnicode(domain);
  const mixed = shown.split(".").some((label) => LOOK_ALIKE_SCRIPTS.filter((script) => script.test(label)).length > 1);
  return shown && !mixed ? shown : domain;
}

/**
 * The ASCII form of what was typed into a search, to find it among stored domains: "münchen" → "xn--mnchen-3ya",
 * so whole labels in any script match ("münch" alone does not: its ASCII form is another label). Null when the
 * text is plain ASCII already or could not be a domain.
 */
export function asciiDomainSearch(text: string): string | null {
  const typed = text.trim().toLowerCase();
  if (!/[^\x00-\x7F]/.test(typed) || /[\s/\\?#@:%[\]]/.test(typed)) return null;
  try {
    // The same parser normalizeDomain stores with, so both give one ASCII form.
    return new URL(`http://${typed}`).hostname.replace(/\.$/, "");
  } catch {
    return null;
  }
}

// Hosts many companies share, so a website there ("facebook.com/acmebakery") says nothing about which
// company it is. Platforms: the host and every subdomain (m.facebook.com, uk.linkedin.com, sites.google.com).
const SHARED_PLATFORMS = [
  "facebook.com",
  "fb.com",
  "fb.me",
  "linkedin.com",
  "lnkd.in",
  "instagram.com",
  "twitter.com",
  "x.com",
  "t.co",
  "youtube.com",
  "youtu.be",
  "tiktok.com",
  "pinterest.com",
  "threads.net",
  "google.com",
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  "yahoo.com",
  "aol.com",
  "icloud.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "linktr.ee",
  "github.com",
  "etsy.com",
  "yelp.com",
  "bit.ly",
  "goo.gl",
];
// Site builders and hosts: only the bare host is shared; each subdomain (acme.github.io) is one customer's site.
const SHARED_HOSTS = [
  "github.io",
  "wordpress.com",
  "wix.com",
  "wixsite.com",
  "squarespace.com",
  "blogspot.com",
  "business.site",
  "medium.com",
  "substack.com",
  "webflow.io",
  "carrd.co",
];

/** Whether a normalised domain is a host many companies share (a social network, webmail, a site builder). */
export function isSharedHost(domain: string): boolean {
  return SHARED_HOSTS.includes(domain) || SHARED_PLATFORMS.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** The domain a company is matched and told apart by: its normalised domain, or null for a shared host. */
export function matchingDomain(domain: string | null): string | null {
  return domain && !isSharedHost(domain) ? domain : null;
}
