/**
 * The cells of one row read by target (the column mapping), and the checks each kind of value
 * gets: lengths, tags, custom values, phones, the address, the owner. parse.ts builds records from them.
 */
import { restoreCell } from "../../lib/csv";
import { normalizePhone } from "../../lib/phone";
import { cleanName } from "../../lib/setting-names";
import { CONTACT_LIMITS } from "../contacts/form";
import { checkboxWord, parseCustomValue } from "../records/custom-fields";
import type { MappableField } from "./mapping";

/** Any cell longer than this makes its row invalid, whatever the column. */
export const CELL_MAX = 10_000;

const INVALID_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
/** An address as the importer accepts it: something@something.tld, without spaces or brackets. */
export const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
/** The longest note a row may carry, and the longest short text (an industry). */
export const NOTE_MAX = 10_000;
export const TEXT_MAX = 200;

/** What reading a row needs besides its cells. */
export interface RowContext {
  headers: string[];
  mapping: string[];
  fields: MappableField[];
  /** The tenant's region, for national phone numbers. */
  region: string;
  /** Custom number fields by id → the locale the file writes them in (numberLocaleOf); absent: plain numbers. */
  numberLocales?: Record<string, string>;
}

/** Cells of one row, by target, in column order; problems that concern the whole row first. */
export function gather(
  cells: string[],
  ctx: RowContext,
):
  | { ok: true; values: Map<string, { header: string; value: string }[]> }
  | { ok: false; reason: string }
  | { ok: "empty" } {
  if (cells.every((c) => c.trim() === "")) return { ok: "empty" };
  if (cells.length !== ctx.headers.length) {
    return {
      ok: false,
      reason: `The row has ${cells.length} cells but the header has ${ctx.headers.length} columns (a missing or extra delimiter or quote).`,
    };
  }
  const values = new Map<string, { header: string; value: string }[]>();
  for (let i = 0; i < cells.length; i += 1) {
    const target = ctx.mapping[i] ?? "";
    let value = cells[i]!;
    if (value.length > CELL_MAX)
      return {
        ok: false,
        reason: `The cell in column “${ctx.headers[i]}” has ${value.length} characters; at most ${CELL_MAX} are accepted.`,
      };
    if (!target) continue;
    // Cells our own export neutralised ("'=..."): the apostrophe goes again, so a round trip is lossless.
    value = restoreCell(value);
    value = value.trim();
    if (value === "") continue;
    if (INVALID_CHARACTERS.test(value))
      return { ok: false, reason: `The cell in column “${ctx.headers[i]}” contains characters we cannot store.` };
    const list = values.get(target) ?? [];
    list.push({ header: ctx.headers[i]!, value });
    values.set(target, list);
  }
  return { ok: true, values };
}

/** A header (or a word of a cell) as compared: lower case, without accents, punctuation as single spaces. */
export const headerKey = (header: string) =>
  header
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/**
 * A custom field's name or a header as matched to each other: as headerKey, but keeping the letters, marks and
 * digits of every script, so "Регион" or "地域" map too (headerKey makes both ""). Empty for a name of none.
 */
export const fieldColumnKey = (name: string) =>
  cleanName(name)
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim();

export type Cells = Map<string, { header: string; value: string }[]>;
/** A value read from the cells, or why the row is refused. */
export type Check = { ok: true; value: string | null } | { ok: false; reason: string };

/**
 * The first non-empty cell of a single-value target (a name, company, job title), refused past `max`
 * characters. Two columns of one value ("Company Name" and "Associated Company") name it twice, so
 * joining them would write it twice.
 */
export function single(values: Cells, target: string, label: string, max: number): Check {
  return checked((values.get(target) ?? [])[0]?.value ?? "", label, max);
}

/** The cells of one target joined by spaces (a note from several columns), refused past `max` characters. */
export function joined(values: Cells, target: string, label: string, max: number): Check {
  return checked((values.get(target) ?? []).map((v) => v.value).join(" "), label, max);
}

function checked(value: string, label: string, max: number): Check {
  if (!value) return { ok: true, value: null };
  if (value.length > max)
    return { ok: false, reason: `${label} has ${value.length} characters; at most ${max} are accepted.` };
  return { ok: true, value };
}

/**
 * The row's tag names, clean (lib/setting-names.ts: NFC, no invisible characters) and distinct regardless of
 * case, or the reason they are refused. A clean name's toLowerCase() is its tags.name_key.
 */
export function tagsOf(values: Cells): string[] | string {
  const out = new Map<string, string>();
  for (const { value } of values.get("tags") ?? []) {
    // Google's labels: "* myContacts ::: Customers" (its own system labels start with "*"). Our
    // export separates tags with "; ", so a comma splits only where nothing else does.
    for (const part of value.split(/:::|;/.test(value) ? /\s*(?::::|;)\s*/ : /\s*,\s*/)) {
      const name = cleanName(part);
      if (!name || name.startsWith("*")) continue;
      if (name.length > CONTACT_LIMITS.tagName)
        return `The tag “${name.slice(0, 60)}…” is longer than ${CONTACT_LIMITS.tagName} characters.`;
      out.set(name.toLowerCase(), out.get(name.toLowerCase()) ?? name);
    }
  }
  if (out.size > CONTACT_LIMITS.tags) return `At most ${CONTACT_LIMITS.tags} tags per record.`;
  return [...out.values()];
}

/** A row's custom value that clears the record's: a checkbox the row unticks. */
export const UNTICKED = "";

/**
 * The row's custom values by field id, canonical, or the reason one is refused. A number field's cells are read
 * in the locale its column is written in (`numberLocales`, from the whole column), else as plain numbers. A
 * checkbox the row unticks ("no", "false", "0"...) is "" (no stored value is ever empty): the update clears it.
 * An empty cell is no value at all, and leaves the record's as it is.
 */
export function customOf(
  values: Cells,
  fields: MappableField[],
  numberLocales: Record<string, string> = {},
): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const raw = (values.get(`cf:${field.id}`) ?? []).map((v) => v.value).join(" ");
    if (!raw) continue;
    // Spreadsheets write an unticked box as "no" or "false" (German and French ones as "nein", "non").
    if (field.kind === "checkbox" && (checkboxWord(raw) === false || /^(nein|non)$/i.test(raw))) {
      out[String(field.id)] = UNTICKED;
      continue;
    }
    const parsed = parseCustomValue(field, raw, field.kind === "number" ? numberLocales[String(field.id)] : undefined);
    if (!parsed.ok) return `Column “${field.name}”: ${parsed.message}`;
    if (parsed.value !== null) out[String(field.id)] = parsed.value;
  }
  return out;
}

/** A phone in E.164, with the tenant's region for national numbers. */
export function phoneOf(value: string, region: string): { ok: true; e164: string } | { ok: false; message: string } {
  const first = normalizePhone(value, region);
  if (first.ok) return first;
  // "0049 30 …": the international prefix most of Europe dials.
  if (/^\s*00[1-9]/.test(value)) {
    const retry = normalizePhone(value.trim().replace(/^00/, "+"), region);
    if (retry.ok) return retry;
  }
  return first;
}

/** The full address column, else the parts (street, city...) joined. */
export function addressOf(values: Cells): Check {
  const full = (values.get("address") ?? []).map((v) => v.value).join("\n");
  const parts = (values.get("address_part") ?? []).map((v) => v.value).join(", ");
  const value = full || parts;
  if (!value) return { ok: true, value: null };
  if (value.length > CONTACT_LIMITS.address)
    return {
      ok: false,
      reason: `The address has ${value.length} characters; at most ${CONTACT_LIMITS.address} are accepted.`,
    };
  return { ok: true, value };
}

/**
 * The owner column's member, resolved when the chunk is planned (chunk.ts ownerIdOf): an email (lower case), or
 * a name as written (Pipedrive's and HubSpot's owner columns hold names); null without one.
 */
export function ownerOf(values: Cells): string | null {
  const v = (values.get("owner") ?? [])[0]?.value ?? null;
  if (!v) return null;
  return EMAIL.test(v) ? v.toLowerCase() : v.slice(0, TEXT_MAX);
}
