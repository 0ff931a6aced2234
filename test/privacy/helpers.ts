/** Reading what a browser would see of our privacy features: CSP, script tags, cookies. */
import { env } from "cloudflare:workers";

export const GA_ID = "G-TEST1234";
/** The measurement id set, as a deployment with analytics has it. */
export const GA_ENV = { GA_MEASUREMENT_ID: GA_ID };
export const GOOGLE_HOST = /googletagmanager\.com|google-analytics\.com|analytics\.google\.com|doubleclick|google\./i;

/** The CSP of a response as directive → sources. */
export function cspDirectives(res: Response): Map<string, string[]> {
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** The nonce the CSP allows scripts with. */
export function cspNonce(res: Response): string | undefined {
  return cspDirectives(res)
    .get("script-src")
    ?.find((v) => v.startsWith("'nonce-"))
    ?.slice(7, -1);
}

/** Every <script ...> start tag in a page. */
export function scriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*>/g) ?? [];
}

/** The value of one attribute of a start tag. */
export function attr(tag: string, name: string): string | undefined {
  return tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
}

/** Every consent record of one consent id, oldest first. */
export async function consentRows(consentId: string) {
  const rows = await env.DB.prepare("SELECT * FROM consent_records WHERE consent_id = ? ORDER BY id")
    .bind(consentId)
    .all<Record<string, unknown>>();
  return rows.results;
}
