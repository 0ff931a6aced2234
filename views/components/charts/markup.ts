import { escapeToBuffer } from "hono/utils/html";

/*
 * The charts build their markup with this template tag rather than JSX or hono's `html`: five charts on the
 * dashboard took a fifth of its CPU as JSX, and `html` allocates per value. Like `html`, it escapes every string
 * (hono's escaping), writes numbers as they are and passes markup through; nothing else is accepted.
 */

/** Markup already escaped: a template's result, or a constant piece of markup. */
export class Markup {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

type Value = string | number | Markup | readonly Markup[] | null | undefined;

const NEEDS_ESCAPING = /[&<>'"]/;

export function escapeText(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text;
  const buffer: [string] = [""];
  escapeToBuffer(text, buffer);
  return buffer[0];
}

export function markup(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === "string") out += escapeText(value);
    else if (typeof value === "number") out += value;
    else if (value instanceof Markup) out += value.text;
    else if (value) for (const part of value) out += part.text;
    out += strings[i + 1];
  }
  return new Markup(out);
}
