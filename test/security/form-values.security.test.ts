/**
 * Every form the app posts (the role table's, so a new route is covered by itself), well formed but with each
 * field given what a careless or hostile user types: far too long, control characters, numbers out of range,
 * dates that do not exist, markup. Signed in as the owner of a workspace with one record of each kind, on those
 * records. Every answer must be below 500.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { postsOnRecords } from "../helpers/app-routes";
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
    // Removals last (a removal with a form, such as closing the workspace, refuses the role table's password).
    const posts = postsOnRecords(w.ids).filter(({ route }) => route.form && Object.keys(route.form).length > 0);
    const failures: string[] = [];
    let sent = 0;
    for (const { route: r, url } of posts) {
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
