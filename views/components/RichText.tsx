import type { Child } from "hono/jsx";

/**
 * User text shown safely: every character is escaped by JSX, line breaks become <br>, and http(s)
 * URLs become links that open with rel="noopener noreferrer nofollow ugc". No HTML from users is
 * ever rendered.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

function linkify(line: string) {
  const parts: Child[] = [];
  let last = 0;
  for (const m of line.matchAll(URL_PATTERN)) {
    if (m.index! > last) parts.push(line.slice(last, m.index));
    parts.push(
      <a href={m[0]} rel="noopener noreferrer nofollow ugc" target="_blank">
        {m[0]}
      </a>,
    );
    last = m.index! + m[0].length;
  }
  if (last < line.length) parts.push(line.slice(last));
  return parts;
}

/** Plain text with line breaks and autolinked URLs. */
export function RichText(p: { text: string }) {
  const lines = p.text.split(/\r\n|\r|\n/);
  return (
    <>
      {lines.map((line, i) => (
        <>
          {i > 0 ? <br /> : null}
          {linkify(line)}
        </>
      ))}
    </>
  );
}
