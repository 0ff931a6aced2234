/**
 * Reading an uploaded file: bytes → text (encoding detected or chosen, binary files refused) → CSV
 * rows (Papa Parse: RFC 4180, quoted newlines, `,` `;` or tab detected). Pure functions.
 */
import Papa from "papaparse";

/** Largest upload accepted. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** Rows per file. */
export const IMPORT_MAX_ROWS = 100_000;
/** Any cell longer than this makes its row invalid, whatever the column. */

export const ENCODING_CHOICES = ["auto", "utf-8", "windows-1252"] as const;
export type EncodingChoice = (typeof ENCODING_CHOICES)[number];

export type Decoded =
  | { ok: true; text: string; encoding: "utf-8" | "utf-16le" | "windows-1252" }
  | { ok: false; message: string };

// File types people upload by mistake, by their first bytes.
const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], "a zipped file (an Excel or Numbers workbook is one)"],
  [[0xd0, 0xcf, 0x11, 0xe0], "an old Excel workbook"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF"],
  [[0x89, 0x50, 0x4e, 0x47], "an image"],
  [[0xff, 0xd8, 0xff], "an image"],
  [[0x47, 0x49, 0x46, 0x38], "an image"],
];

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * The file's text. UTF-8 (with or without BOM) is used when the bytes are valid UTF-8; otherwise
 * Windows-1252, the encoding Excel and Outlook write on Windows. A chosen encoding is used as is,
 * except that UTF-8 chosen for bytes that are not UTF-8 is refused rather than stored as mojibake.
 */
export function decodeUpload(bytes: Uint8Array, choice: EncodingChoice): Decoded {
  if (bytes.length === 0) return { ok: false, message: "The file is empty." };
  for (const [magic, what] of MAGIC) {
    if (startsWith(bytes, magic))
      return {
        ok: false,
        message: `This is ${what}, not a CSV file. Save or export it as CSV (comma-separated values) and upload that.`,
      };
  }
  if (startsWith(bytes, [0xff, 0xfe])) {
    return checkText(new TextDecoder("utf-16le").decode(bytes.subarray(2)), "utf-16le");
  }
  // NUL bytes do not occur in text files in any of the encodings we read.
  if (bytes.subarray(0, 65536).includes(0))
    return { ok: false, message: "This is not a text file. Upload a CSV file (comma-separated values)." };
  if (choice !== "windows-1252") {
    try {
      return checkText(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes), "utf-8");
    } catch {
      if (choice === "utf-8") {
        return {
          ok: false,
          message:
            "The file is not valid UTF-8. Choose “Windows-1252” as its encoding, or save it as “CSV UTF-8” and upload it again.",
        };
      }
    }
  }
  return checkText(new TextDecoder("windows-1252").decode(bytes), "windows-1252");
}

function checkText(text: string, encoding: "utf-8" | "utf-16le" | "windows-1252"): Decoded {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return { ok: false, message: "The file is empty." };
  // Control characters other than tab and line breaks mean binary data, whatever the extension.
  const sample = body.slice(0, 65536);
  const controls = sample.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g)?.length ?? 0;
  if (controls > 0)
    return { ok: false, message: "This is not a text file. Upload a CSV file (comma-separated values)." };
  return { ok: true, text: body, encoding };
}

/** `,` `;` or tab: whichever splits the header line into the most columns (ties go to the comma). */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, 8192).split(/\r\n|\n|\r/)[0] ?? "";
  let best = ",";
  let bestCount = 0;
  for (const d of [",", ";", "\t"]) {
    // Count outside quotes only.
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count += 1;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Calls `onRow` with each data row (1 = the first row after the header) and returns the header.
 * Stops early when `onRow` returns false.
 */
export function parseCsv(
  text: string,
  delimiter: string,
  onRow: (cells: string[], rowNo: number, header: string[]) => boolean | undefined,
): string[] {
  let header: string[] | null = null;
  let rowNo = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    step: (result, parser) => {
      const cells = result.data;
      if (header === null) {
        header = cells.map((h) => h.trim());
        return;
      }
      rowNo += 1;
      if (onRow(cells, rowNo, header) === false) parser.abort();
    },
  });
  return header ?? [];
}
