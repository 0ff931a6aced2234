/**
 * A URL tells you its file: every router under /app is mounted at the path its file has under
 * src/routes/, and docs/architecture.md's table names each mount with its file.
 */
import { repoText } from "../helpers/repo";
import { describe, expect, it } from "vitest";

const { app, doc, routeFiles } = await repoText("architecture");

/** Each `app.route(prefix, router)` with the file its router is imported from. */
function mounts(): { prefix: string; file: string }[] {
  const fileOf = new Map<string, string>();
  for (const m of app.matchAll(/import \{ (\w+) \} from "\.\/(routes\/[^"]+)";/g)) fileOf.set(m[1]!, m[2]!);
  return [...app.matchAll(/app\.route\("([^"]+)", (\w+)\);/g)].map((m) => {
    const spec = `src/${fileOf.get(m[2]!) ?? "?"}`;
    const file = [".ts", ".tsx", ""].map((ext) => spec + ext).find((f) => routeFiles.includes(f)) ?? spec;
    return { prefix: m[1]!, file };
  });
}

describe("the route table", () => {
  it("finds every mount of src/app.ts", () => {
    expect(mounts().length).toBeGreaterThan(25);
    expect(mounts().every((m) => m.file.startsWith("src/routes/"))).toBe(true);
  });

  it("mounts every router under /app at the path of its file", () => {
    const misplaced = mounts()
      .filter((m) => m.prefix.startsWith("/app/"))
      .filter((m) => m.file.replace(/(\/index)?\.tsx?$/, "") !== `src/routes${m.prefix}`);
    expect(misplaced).toEqual([]);
  });

  it("is in docs/architecture.md, each prefix with its file", () => {
    const rows = new Set([...doc.matchAll(/^\| `([^`]+)` +\| `([^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`));
    const missing = mounts().filter((m) => !rows.has(`${m.prefix} ${m.file}`));
    expect(missing).toEqual([]);
  });
});
