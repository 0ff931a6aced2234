/**
 * HTMLRewriter on Node, for what the app asks of it (src/routes/staff/support-view.ts): handlers on
 * `[attribute]` selectors that read and set attributes of start tags. The page is read whole (our own
 * rendered pages, not a stream of unknown size); script and style contents are left as they are.
 */
type ElementHandler = { element?(el: RewriterElement): void | Promise<void> };

interface RewriterElement {
  tagName: string;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
}

const TAG =
  /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;
const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

const decode = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
const encode = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export class NodeHTMLRewriter {
  private readonly handlers: { attribute: string; handler: ElementHandler }[] = [];

  on(selector: string, handler: ElementHandler): NodeHTMLRewriter {
    const m = selector.match(/^\[([\w:-]+)\]$/);
    if (!m) throw new Error(`HTMLRewriter on Node supports only [attribute] selectors, not ${selector}`);
    this.handlers.push({ attribute: m[1]!.toLowerCase(), handler });
    return this;
  }

  transform(response: Response): Response {
    const headers = new Headers(response.headers);
    headers.delete("Content-Length");
    const body = response.text().then((html) => this.rewrite(html));
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode(await body));
        controller.close();
      },
    });
    return new Response(stream, { status: response.status, statusText: response.statusText, headers });
  }

  private async rewrite(html: string): Promise<string> {
    const out: string[] = [];
    let last = 0;
    for (const m of html.matchAll(TAG)) {
      if (m[1] !== undefined) continue;
      const attrs = new Map<string, string>();
      for (const a of (m[3] ?? "").matchAll(ATTR)) attrs.set(a[1]!.toLowerCase(), decode(a[2] ?? a[3] ?? a[4] ?? ""));
      let changed = false;
      const el: RewriterElement = {
        tagName: m[2]!.toLowerCase(),
        getAttribute: (n) => attrs.get(n.toLowerCase()) ?? null,
        hasAttribute: (n) => attrs.has(n.toLowerCase()),
        setAttribute: (n, v) => {
          attrs.set(n.toLowerCase(), v);
          changed = true;
        },
      };
      for (const { attribute, handler } of this.handlers) if (attrs.has(attribute)) await handler.element?.(el);
      if (!changed) continue;
      const rebuilt = [...attrs].map(([k, v]) => ` ${k}="${encode(v)}"`).join("");
      out.push(html.slice(last, m.index), `<${m[2]}${rebuilt}${m[4] ? " /" : ""}>`);
      last = m.index + m[0].length;
    }
    out.push(html.slice(last));
    return out.join("");
  }
}
