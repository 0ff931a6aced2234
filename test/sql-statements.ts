/**
 * Runs in Node (test/global-setup.ts): every SQL text written in src/, found with the TypeScript
 * parser: sql`...` templates (interpolations shown as ${...}), sql.raw("...") and .prepare("...").
 * test/security/tenant-sql.security.test.ts checks them against the schema's tenant tables.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as TypeScript from "typescript";

// Loaded by Node itself: through Vite, the 9 MB compiler is transformed on every run.
const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;

export interface SqlStatement {
  file: string;
  line: number;
  text: string;
}

export function sqlStatements(root: string): SqlStatement[] {
  const files = readdirSync(path.join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => `src/${f.split(path.sep).join("/")}`);
  const out: SqlStatement[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
    const at = (node: TypeScript.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const visit = (node: TypeScript.Node) => {
      if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === "sql") {
        const t = node.template;
        const text = ts.isNoSubstitutionTemplateLiteral(t)
          ? t.text
          : t.head.text + t.templateSpans.map((s) => `\${${s.expression.getText(source)}}${s.literal.text}`).join("");
        out.push({ file, line: at(node), text });
      } else if (ts.isCallExpression(node) && node.arguments[0]) {
        const callee = node.expression.getText(source);
        const arg = node.arguments[0];
        if (
          (callee === "sql.raw" || callee.endsWith(".prepare")) &&
          (ts.isStringLiteralLike(arg) || ts.isTemplateExpression(arg))
        ) {
          out.push({ file, line: at(node), text: arg.getText(source) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}
