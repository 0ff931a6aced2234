/**
 * What workerd has as globals and Node lacks, for the app's code to run unchanged: HTMLRewriter (the
 * subset in src/platform/node/html-rewriter.ts), and a Request that takes a stream body without the
 * `duplex: "half"` option Node insists on (workerd needs none; src/middleware/form-body.tsx relies on it).
 */
import { NodeHTMLRewriter } from "./html-rewriter";

function streamBodiesNeedDuplex(): boolean {
  try {
    new Request("http://localhost/", { method: "POST", body: new ReadableStream() });
    return false;
  } catch {
    return true;
  }
}

export function installWorkersGlobals(): void {
  const g = globalThis as { HTMLRewriter?: unknown };
  g.HTMLRewriter ??= NodeHTMLRewriter;
  if (!streamBodiesNeedDuplex()) return;
  const Base = globalThis.Request;
  globalThis.Request = class Request extends Base {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      const plain = init && Object.getPrototypeOf(init) === Object.prototype;
      super(
        input,
        plain && init.body != null && !("duplex" in init) ? ({ ...init, duplex: "half" } as RequestInit) : init,
      );
    }
  } as typeof Request;
}
