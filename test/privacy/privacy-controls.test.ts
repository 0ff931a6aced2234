/**
 * docs/privacy-controls.md maps each section of the published privacy policy to the tests that prove
 * it, written `path` › "title". Every test it names must exist: the file, and in it an it()/test()
 * (in a browser test, a key of the default export) with exactly that title. The doc and the test
 * files are read in Node by test/global-setup.ts, since workerd cannot read the disk.
 */
import { describe, expect, it } from "vitest";
import { repoText } from "../helpers/repo";

const { doc, files } = await repoText("privacyControls");

/** Every `path` › "title" in the doc. A title is written as in the source, `${...}` included. */
const references = [...doc.matchAll(/`([^`\s]+)`\s*›\s*"([^"\n]+)"/g)].map((m) => ({ path: m[1]!, title: m[2]! }));

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `source` declares a test titled exactly `title`. */
function declaresTest(path: string, source: string, title: string): boolean {
  const t = escapeRegExp(title);
  const pattern = path.endsWith(".e2e.mjs")
    ? // export default { async "title"({ baseUrl }) {...} } or { "title": async (...) => ... }
      `\\basync\\s+(["'\`])${t}\\1\\s*\\(|(["'\`])${t}\\2\\s*:`
    : // it("title", ...), test.skip("title", ...), it.each([...])("title", ...)
      `(?:\\b(?:it|test)(?:\\.\\w+)*\\(|\\]\\)\\()\\s*(["'\`])${t}\\1\\s*,`;
  return new RegExp(pattern).test(source);
}

describe("docs/privacy-controls.md", () => {
  it("covers every numbered section of the policy, and every reference in it can be read", () => {
    expect(doc, "docs/privacy-controls.md is missing or empty").not.toBe("");
    for (let n = 1; n <= 14; n += 1) expect(doc, `section ${n}`).toMatch(new RegExp(`^## ${n}\\. `, "m"));
    expect(doc).toMatch(/^## Gaps$/m);
    // A "›" the pattern above did not read would be a reference nobody checks.
    expect(references.length).toBe(doc.split("›").length - 1);
    expect(references.length).toBeGreaterThan(100);
  });

  it("names only tests that exist", () => {
    const missing = references
      .filter(({ path, title }) => !(path in files) || !declaresTest(path, files[path]!, title))
      .map(({ path, title }) => `${path} › "${title}"${path in files ? "" : " (no such file)"}`);
    expect(missing).toEqual([]);
  });

  it("the check itself finds tests and refuses what is not one", () => {
    const unit =
      'describe("group", () => {\n  it("does a thing", async () => {});\n  it.each([[1]])("case %j", (n) => {});\n  test(`keeps ${N} days`, () => {});\n});';
    expect(declaresTest("test/x.test.ts", unit, "does a thing")).toBe(true);
    expect(declaresTest("test/x.test.ts", unit, "case %j")).toBe(true);
    expect(declaresTest("test/x.test.ts", unit, "keeps ${N} days")).toBe(true);
    expect(declaresTest("test/x.test.ts", unit, "group")).toBe(false);
    expect(declaresTest("test/x.test.ts", unit, "does a")).toBe(false);
    const e2e = 'export default {\n  async "signs up"({ baseUrl }) {},\n  "logs in": async () => {},\n};';
    expect(declaresTest("test/e2e/x.e2e.mjs", e2e, "signs up")).toBe(true);
    expect(declaresTest("test/e2e/x.e2e.mjs", e2e, "logs in")).toBe(true);
    expect(declaresTest("test/e2e/x.e2e.mjs", e2e, "signs")).toBe(false);
  });
});
