/**
 * The fetch a self-hosted server sends webhooks with. On Cloudflare a Worker's fetch cannot reach private
 * networks; Node's can, so an endpoint named by a host that resolves to 10.x, 127.x or the like would let an
 * admin probe the server's network. This one refuses such a connection at connect time, on the addresses the
 * socket would use (so a name that resolves differently a moment later gains nothing), and follows no redirect.
 * Only the little the webhook sender needs: a method, headers, a text body, a timeout signal.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { internalAddress } from "../../lib/internal-address";

/** The most of an answer kept: the sender shows its first kilobyte. */
const ANSWER_MAX = 64 * 1024;

/** A lookup that resolves as usual and fails when any address of the name is `internal`. */
const publicOnly =
  (internal: (ip: string) => boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 4);
      const inside = addresses.find((a) => internal(a.address));
      if (inside || addresses.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves to an internal address (${inside?.address})`), {
          code: "EINTERNALADDRESS",
        });
        return callback(refused, "", 4);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

/** `internal`: which addresses are refused (the tests pass their own to reach a local receiver). */
export function guardedFetch(internal: (ip: string) => boolean = internalAddress): typeof fetch {
  const lookup = publicOnly(internal);
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`Cannot send to ${url.protocol}`);
    // A literal address is not looked up: checked here.
    if (/^[\d.]+$|^\[/.test(url.hostname) && internal(url.hostname.replace(/^\[|\]$/g, "")))
      throw new Error(`${url.hostname} is an internal address`);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === "string" ? init.body : init.body == null ? undefined : String(init.body);
    const request = url.protocol === "https:" ? https.request : http.request;
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? "GET", headers, lookup }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const answer = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") answer.set(k, v);
          const status = res.statusCode ?? 502;
          const empty = status === 204 || status === 304;
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: answer }));
        };
        res.on("data", (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          // An endless answer is cut, not buffered.
          if (size > ANSWER_MAX) {
            res.destroy();
            done();
          }
        });
        res.on("error", reject);
        res.on("end", done);
      });
      const signal = init.signal;
      if (signal) {
        if (signal.aborted) req.destroy(signal.reason as Error);
        signal.addEventListener("abort", () => req.destroy(signal.reason as Error), { once: true });
      }
      req.on("error", reject);
      req.end(body);
    });
  }) as typeof fetch;
}
