/**
 * Notes' Markdown, rendered on the server: bold, italic, lists, links, quotes, code, and @mentions.
 * markdown-it with `html: false` escapes every tag a user types; images, headings and tables are off;
 * links go only to http(s) and mailto, and open with rel="noopener noreferrer nofollow ugc".
 * The instance is built once per isolate: rendering a page's notes only parses them.
 */
import MarkdownIt from "markdown-it";

/** A mention as stored in a note's body: `@[Ada Lovelace](user:<user id>)`. */
export const MENTION_PATTERN = /@\[([^\]\n]{1,100})\]\(user:([a-z2-7]{24})\)/g;
const MENTION_AT_START = /^@\[([^\]\n]{1,100})\]\(user:([a-z2-7]{24})\)/;
const SAFE_LINK = /^(?:https?:|mailto:)/i;
const LINK_REL = "noopener noreferrer nofollow ugc";

const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false, breaks: true });
// Headings and tables would turn old plain notes ("# 1 priority", pipes) into layout; images load third parties.
md.disable(["image", "heading", "lheading", "table"]);
md.validateLink = (url) => SAFE_LINK.test(url.trim());

md.inline.ruler.before("link", "mention", (state, silent) => {
  if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false;
  const match = MENTION_AT_START.exec(state.src.slice(state.pos, state.pos + 140));
  if (!match) return false;
  if (!silent) {
    const token = state.push("mention", "", 0);
    token.content = match[1]!;
  }
  state.pos += match[0].length;
  return true;
});
// A mention shows the name it was written with; it links nowhere, so a removed member leaks nothing.
md.renderer.rules.mention = (tokens, idx) =>
  `<span class="mention">@${md.utils.escapeHtml(tokens[idx]!.content)}</span>`;

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet("rel", LINK_REL);
  token.attrSet("target", "_blank");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** A note's body as safe HTML. */
export function renderNoteMarkdown(body: string): string {
  return md.render(body);
}

/** The user ids a note's body mentions, each once. */
export function mentionedUserIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION_PATTERN)].map((m) => m[2]!))];
}
