/**
 * Writing vCard 4.0 (RFC 6350): text values escaped (section 3.4), content lines folded at 75
 * octets without splitting a UTF-8 character (section 3.2), lines ended by CRLF.
 */

const encoder = new TextEncoder();

/** A text value with `\`, `,`, `;` and line breaks escaped (RFC 6350 section 3.4). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/,/g, "\\,")
    .replace(/;/g, "\\;")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** A structured value (N, ADR, ORG): each component escaped, joined by `;`. */
export function structured(components: readonly string[]): string {
  return components.map(escapeText).join(";");
}

/**
 * A content line folded so that no line is longer than 75 octets: each continuation starts with
 * one space (which unfolding removes), and multi-byte characters are never split.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return `${line}\r\n`;
  let out = "";
  let current = "";
  let octets = 0;
  // The first line holds 75 octets; each continuation holds 74 after its leading space.
  let room = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > room) {
      out += `${current}\r\n `;
      current = "";
      octets = 0;
      room = 74;
    }
    current += ch;
    octets += size;
  }
  return `${out + current}\r\n`;
}

/** A property: name (with parameters, e.g. `EMAIL;PREF=1`) and an already escaped value, folded. */
export function property(nameAndParams: string, value: string): string {
  return foldLine(`${nameAndParams}:${value}`);
}

/** A timestamp as vCard writes it (REV): 20261126T101500Z. */
export function timestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}
