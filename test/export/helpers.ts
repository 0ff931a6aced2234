/** Shared pieces of the export tests: a tenant with one of everything, and readers of the files. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createCompanyThroughForm, insertField, insertTag, sendPairs } from "../companies/helpers";
import { createContact, post } from "../contacts/contact-helpers";
import { insertDeal } from "../deals/data-helpers";

/** Every export of contacts, companies and their notes (the deals' exports are tested on their own). */
export const CONTACT_AND_COMPANY_EXPORTS = [
  "contacts.csv",
  "contacts.json",
  "contacts.vcf",
  "companies.csv",
  "companies.json",
  "notes.csv",
  "notes.json",
];

/** Downloads an export and checks that it is one. */
export async function download(path: string, cookie: string, init: { env?: Partial<Cloudflare.Env> } = {}) {
  const res = await send(path, { cookie, ...init });
  expect(res.status, `${path}: ${res.status === 200 ? "" : await res.clone().text()}`).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes) };
}

/**
 * A strict RFC 4180 reader (the test's own, so the export is checked against the standard rather
 * than against itself): CRLF between records, quoted fields with doubled quotes.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += text[i];
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        field += text[i];
        i += 1;
      }
    }
    row.push(field);
    if (text[i] === ",") {
      i += 1;
      continue;
    }
    if (text[i] === "\n") throw new Error(`bare LF at ${i}: records must end with CRLF`);
    if (text[i] === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`bare CR at ${i}`);
      i += 2;
    }
    rows.push(row);
    row = [];
  }
  return rows;
}

/** The records of a CSV as objects keyed by the header row. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  for (const r of rows)
    expect(r.length, `a row has ${r.length} cells, the header ${header!.length}`).toBe(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

export interface VcardProperty {
  name: string;
  params: string[];
  value: string;
}

/** Unfolds a vCard file (RFC 6350 3.2) and splits it into cards of properties. */
export function parseVcards(text: string): VcardProperty[][] {
  expect(text.endsWith("\r\n"), "the file ends with CRLF").toBe(true);
  const physical = text.slice(0, -2).split("\r\n");
  for (const line of physical) {
    expect(line.includes("\n") || line.includes("\r"), `a bare line break in ${JSON.stringify(line)}`).toBe(false);
    expect(new TextEncoder().encode(line).length, `longer than 75 octets: ${line}`).toBeLessThanOrEqual(75);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(" ")) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  const cards: VcardProperty[][] = [];
  let card: VcardProperty[] | null = null;
  for (const line of logical) {
    const colon = line.indexOf(":");
    const [name, ...params] = line.slice(0, colon).split(";");
    const prop = { name: name!.toUpperCase(), params, value: line.slice(colon + 1) };
    if (prop.name === "BEGIN") card = [];
    card!.push(prop);
    if (prop.name === "END") {
      cards.push(card!);
      card = null;
    }
  }
  return cards;
}

/** A text value of a vCard unescaped (RFC 6350 3.4). */
export function unescapeVcard(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, ch: string) => (ch === "n" || ch === "N" ? "\n" : ch));
}

/** A structured value split on unescaped `;` and unescaped. */
export function vcardComponents(value: string): string[] {
  return value.split(/(?<!\\);/).map(unescapeVcard);
}

/** A tenant with one of everything an export must carry, made through the real forms. */
export async function seededTenant(name = "Export Co") {
  const t = await newTenant(name);
  const ownerId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(t.email).first<{ id: string }>())!
    .id;
  const vip = await insertTag(t.tenantId, "VIP");
  const customer = await insertTag(t.tenantId, "Customer");
  const tier = await insertField(t.tenantId, "contact", "Tier", "select", ["gold", "silver"]);
  const renewal = await insertField(t.tenantId, "contact", "Renewal", "date");
  const score = await insertField(t.tenantId, "contact", "Score", "number");
  const newsletter = await insertField(t.tenantId, "contact", "Newsletter", "checkbox");
  const remark = await insertField(t.tenantId, "contact", 'Remark, "internal"', "text");
  const region = await insertField(t.tenantId, "company", "Region", "text");
  const company = await createCompanyThroughForm(t.cookie, {
    name: "Analytical Engines, Ltd.",
    domain: "https://www.engines.example/about",
    industry: "Computing",
    size: "11-50",
    phone: "+44 20 7946 0958",
    address: "1 Babbage Row\nLondon",
    owner_id: ownerId,
    tag_ids: String(customer),
    [`cf_${region}`]: "=SUM(A1:A9)",
  });
  const ada = await createContact(t.cookie, {
    first_name: "Ada",
    last_name: "Lovelace",
    emails: ["ada@example.com", "ada.work@engines.example", "countess@example.org"],
    phones: ["+1 415 555 0123", "+44 20 7946 0958"],
    job_title: 'Mathematician, "Countess"',
    company_id: String(company),
    address: "12 St James's Square\nLondon",
    tag_ids: [String(vip), String(customer)],
    owner_id: ownerId,
    [`cf_${tier}`]: "gold",
    [`cf_${renewal}`]: "2027-01-31",
    [`cf_${score}`]: "-5",
    [`cf_${newsletter}`]: "1",
    [`cf_${remark}`]: '=HYPERLINK("x")',
  });
  const tricky = await createContact(t.cookie, {
    first_name: '=HYPERLINK("x")',
    last_name: "@x",
    emails: ["tricky@example.com"],
    job_title: "+1 202 555 0199",
    address: "-5 Minus Street; Semicolon Town, Commaland \\ Backslash",
    owner_id: "",
    [`cf_${score}`]: "12.5",
  });
  const longNote = `Met at the Royal Society — déjà vu, naïve café, 日本語のテキスト, 🎉 emoji; ${"long ".repeat(30)}end.`;
  for (const [id, body] of [
    [ada, "First call;\nsaid yes, later \\ maybe"],
    [ada, longNote],
  ] as const) {
    const res = await post(`/app/contacts/${id}/notes`, t.cookie, { body });
    expect(res.status).toBeLessThan(400);
  }
  const res = await sendPairs(`/app/companies/${company}/notes`, t.cookie, [["body", "Board meeting, 3 p.m."]]);
  expect(res.status).toBeLessThan(400);
  const deal = await insertDeal(t.tenantId, {
    name: "Difference Engine, Mk II",
    amountMinor: 1_250_050,
    currency: "USD",
    stage: "Negotiation",
    closeDate: "2027-02-28",
    ownerId,
    createdBy: ownerId,
    companyId: company,
    contacts: [
      { id: ada, role: "Decision maker" },
      { id: tricky, role: "=cmd role" },
    ],
    tagIds: [vip],
  });
  const formulaDeal = await insertDeal(t.tenantId, {
    name: '=HYPERLINK("deal")',
    amountMinor: 125_000,
    currency: "JPY",
    status: "won",
    closedOn: "2026-11-20",
  });
  return {
    deal,
    formulaDeal,
    ...t,
    ownerId,
    vip,
    customer,
    tier,
    renewal,
    score,
    newsletter,
    remark,
    region,
    company,
    ada,
    tricky,
    longNote,
  };
}
