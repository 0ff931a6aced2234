import { raw } from "hono/html";
import { renderNoteMarkdown } from "../lib/markdown";

/** A note's Markdown as HTML: markdown-it escapes user HTML and refuses unsafe links (views/lib/markdown.ts). */
export function NoteMarkdown(p: { text: string }) {
  return raw(renderNoteMarkdown(p.text));
}
