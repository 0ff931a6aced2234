/**
 * Notes' Markdown as a reader's browser gets it: formatting is rendered, and nothing a hostile author
 * types becomes markup, a script, an event handler or a link to anything but http(s) or mailto.
 */
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createCompanyThroughForm } from "../companies/helpers";

/** The rendered body of the company's only note. */
async function renderedNote(body: string) {
  const owner = await newTenant("Markdown Co");
  const id = await createCompanyThroughForm(owner.cookie, { name: "Formatted" });
  expect((await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body } })).status).toBe(303);
  const html = await textOf(`/app/companies/${id}`, { cookie: owner.cookie });
  const match = /<div class="note-body">([\s\S]*?)<\/div>/.exec(html);
  expect(match, "the page shows the note").not.toBeNull();
  return match![1]!;
}

/** Every tag the rendered note contains, with its attributes. */
function tagsOf(html: string) {
  return [...html.matchAll(/<([a-z][a-z0-9]*)([^>]*)>/gi)].map((m) => ({ name: m[1]!.toLowerCase(), attrs: m[2]! }));
}

const ALLOWED_TAGS = new Set([
  "p",
  "br",
  "strong",
  "em",
  "ul",
  "ol",
  "li",
  "a",
  "code",
  "pre",
  "blockquote",
  "span",
  "hr",
  "s",
]);

const ALLOWED_ATTRIBUTES = new Set(["href", "rel", "target", "title", "class"]);

/** Nothing executable: only a small set of tags and attributes, and links only to http(s) or mailto. */
function expectHarmless(html: string) {
  for (const tag of tagsOf(html)) {
    expect(ALLOWED_TAGS.has(tag.name), `tag <${tag.name}>`).toBe(true);
    const attributes = [...tag.attrs.matchAll(/\s([a-z-]+)="([^"]*)"/gi)];
    // Whatever is not a well-formed name="value" pair would be an attribute the browser reads too.
    expect(tag.attrs.replace(/\s([a-z-]+)="([^"]*)"/gi, "").trim(), `<${tag.name}${tag.attrs}>`).toBe("");
    for (const [, name, value] of attributes) {
      expect(ALLOWED_ATTRIBUTES.has(name!.toLowerCase()), `attribute ${name}`).toBe(true);
      if (name === "href") expect(value).toMatch(/^(https?:|mailto:)/);
    }
  }
}

describe("notes in Markdown", () => {
  it("renders bold, italic, lists and links, links opening safely", async () => {
    const html = await renderedNote(
      "**Renewal** is _likely_\n\n- call Ada\n- send quote\n\n1. first\n2. second\n\n" +
        "See [the deck](https://example.com/deck) or mail@example.com",
    );
    expect(html).toContain("<strong>Renewal</strong> is <em>likely</em>");
    expect(html).toContain("<ul>\n<li>call Ada</li>\n<li>send quote</li>\n</ul>");
    expect(html).toContain("<ol>\n<li>first</li>\n<li>second</li>\n</ol>");
    expect(html).toContain(
      '<a href="https://example.com/deck" rel="noopener noreferrer nofollow ugc" target="_blank">the deck</a>',
    );
    expect(html).toContain('<a href="mailto:mail@example.com"');
    expectHarmless(html);
  });

  it("keeps plain notes as they were: headings and tables are not layout, line breaks stay", async () => {
    const html = await renderedNote("# 1 priority\nline two\n| a | b |\n|---|---|");
    expect(html).toBe("<p># 1 priority<br>\nline two<br>\n| a | b |<br>\n|---|---|</p>\n");
  });

  it.each([
    ["raw HTML and scripts", `<script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://x.example">`],
    [
      "javascript: links",
      "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c]( javascript:alert(1)) <javascript:alert(1)>",
    ],
    ["entity-hidden javascript:", "[a](jav&#x09;ascript:alert(1)) [b](&#106;avascript:alert(1)) [c](java\\\nscript:x)"],
    [
      "data: and vbscript: URLs",
      "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [b](vbscript:msgbox) <data:text/html,x>",
    ],
    ["images", "![x](https://tracker.example/pixel.png) ![y](javascript:alert(1))"],
    [
      "attribute injection in link titles",
      `[t](https://ok.example "x\\" onmouseover=\\"alert(1)") [u](https://ok.example 'a" onclick="b')`,
    ],
    ["attribute injection in URLs", `[t](https://ok.example/"onmouseover="alert(1)) <https://ok.example/"onfocus="x>`],
    ["HTML inside a mention", "@[<img src=x onerror=alert(1)>](user:abcdefghijklmnopqrstuvwx)"],
    ["code blocks", "```html\n<script>alert(1)</script>\n```\n`<b onclick=x>`"],
  ])("renders %s harmlessly", async (_what, body) => {
    const html = await renderedNote(body);
    expectHarmless(html);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
  });

  it("shows a title with quotes as an escaped attribute, never as a new one", async () => {
    const html = await renderedNote(`[t](https://ok.example "x\\" onmouseover=\\"alert(1)")`);
    expect(html).toContain('title="x&quot; onmouseover=&quot;alert(1)"');
  });
});
