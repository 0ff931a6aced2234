/**
 * Every form the app posts (the role table's, so a new route is covered by itself), well formed but with each
 * field given what a careless or hostile user types: far too long, control characters, numbers out of range,
 * dates that do not exist, markup. Signed in as the owner of a workspace with one record of each kind, on those
 * records. Every answer must be below 500.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { APP_ROUTES, urlOf } from "../helpers/app-routes";
import { workspace } from "../helpers/plans-workspace";

const VALUES = [
  "x".repeat(100_000),
  "\u0000\u0001\u001f",
  "-1",
  "1e309",
  "99999999999999999999",
  "2026-02-30",
  "<script>alert(1)</script>",
  "   ",
  "\u202e\ud83d\udca5\ud800",
];

describe("forms sent values nobody should type", () => {
  it("answer every field's hostile value below 500, on real records", async () => {
    const w = await workspace();
    const records = /^\/app\/(contacts|companies|deals|tasks|notes)\/:id(\/|$)/;
    const others: [RegExp, string][] = [
      [/^\/app\/interactions\/:id/, "activities"],
      [/^\/app\/settings\/tags\/:id/, "tags"],
      [/^\/app\/settings\/fields\/:id/, "custom_fields"],
      [/^\/app\/settings\/pipelines\/stages\/:id/, "stages"],
      [/^\/app\/settings\/pipelines\/:id/, "pipelines"],
    ];
    const urlFor = (r: (typeof APP_ROUTES)[number]) => {
      const m = r.path.match(records);
      if (m) return r.path.replace(":id", String(w.ids[m[1]!]));
      const other = others.find(([pattern]) => pattern.test(r.path));
      return other ? r.path.replace(":id", String(w.ids[other[1]])) : urlOf(r);
    };
    // Removals last (a removal with a form, such as closing the workspace, refuses the role table's password).
    const last = /\/(delete|erase|remove|close)$/;
    const posts = APP_ROUTES.filter((r) => r.method === "POST" && r.form && Object.keys(r.form).length > 0).sort(
      (a, b) => Number(last.test(a.path)) - Number(last.test(b.path)),
    );
    const failures: string[] = [];
    let sent = 0;
    for (const r of posts) {
      const url = urlFor(r);
      for (const field of Object.keys(r.form!))
        for (const value of VALUES) {
          sent += 1;
          const res = await send(url, { method: "POST", form: { ...r.form, [field]: value }, cookie: w.cookie });
          if (res.status >= 500)
            failures.push(`POST ${url} ${field}=${JSON.stringify(value.slice(0, 20))}: ${res.status}`);
          await res.arrayBuffer();
        }
    }
    expect(sent).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 300_000);
});
