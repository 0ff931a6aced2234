import { describe, expect, it } from "vitest";
import { BarChart } from "../../views/components/charts/BarChart";
import { compactFormat } from "../../views/components/charts/format";
import { LineChart } from "../../views/components/charts/LineChart";
import type { ChartProps } from "../../views/components/charts/types";

// The charts are rendered to markup and read with a few regexes: what a browser would draw, no snapshots.
type Attrs = Record<string, string>;
const attrsOf = (tag: string): Attrs =>
  Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
/** `<name ...>`: name is a tag name, or a tag's start such as 'g class="chart-mark"'. */
const opening = (name: string) => `<${name}${/\w$/.test(name) ? "\\b" : ""}[^>]*>`;
const tags = (html: string, name: string): Attrs[] =>
  [...html.matchAll(new RegExp(opening(name), "g"))].map((m) => attrsOf(m[0]));
const num = (a: Attrs, key: string) => Number(a[key]);
/** The inner markup of the first element that opens with `open` (same-name nesting counted). */
function inner(html: string, open: string): string {
  const start = html.indexOf(open);
  expect(start, `${open} present`).toBeGreaterThanOrEqual(0);
  const name = /^<(\w+)/.exec(open)![1]!;
  const re = new RegExp(`<${name}\\b|</${name}>`, "g");
  re.lastIndex = start + 1;
  let depth = 1;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[0].startsWith("</") ? -1 : 1;
    if (!depth) return html.slice(html.indexOf(">", start) + 1, m.index);
  }
  throw new Error(`${open} not closed`);
}
const texts = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`${opening(name)}([^<]*)<`, "g"))].map((m) => m[1]!);
const render = async (el: unknown) => String(await el);

const euro = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });
function props(over: Partial<ChartProps> = {}): ChartProps {
  return {
    id: "won",
    title: "Won per month",
    xLabel: "Month",
    yLabel: "Amount won",
    categories: [
      { key: "2026-01", label: "January 2026" },
      { key: "2026-02", label: "February 2026" },
      { key: "2026-03", label: "March 2026" },
    ],
    series: [{ key: "won", name: "Won", values: [10, 20, 40] }],
    format: (n) => euro.format(n),
    formatTick: (n) => `~${n}`,
    ...over,
  };
}
const months = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `m${i}`, label: `Month ${String(i + 1).padStart(2, "0")}` }));

describe("bar chart", () => {
  it("draws bars whose heights follow the values, on one baseline, inside the plot", async () => {
    const html = await render(BarChart(props()));
    const bars = tags(inner(html, '<g class="chart-bars'), "rect");
    expect(bars).toHaveLength(3);
    const [h10, h20, h40] = bars.map((b) => num(b, "height"));
    expect(h10).toBeGreaterThan(10);
    expect(h20).toBeCloseTo(2 * h10!, 0);
    expect(h40).toBeCloseTo(4 * h10!, 0);
    const bottoms = bars.map((b) => num(b, "y") + num(b, "height"));
    for (const bottom of bottoms) expect(bottom).toBeCloseTo(bottoms[0]!, 1);
    const tickYs = tags(inner(html, '<g class="chart-ticks"'), "text").map((t) => num(t, "y"));
    const tallest = bars[2]!;
    expect(num(tallest, "y")).toBeGreaterThanOrEqual(Math.min(...tickYs) - 0.05);
    expect(bottoms[0]).toBeCloseTo(Math.max(...tickYs), 1);
    const [, , vbWidth, vbHeight] = tags(html, "svg")[0]!.viewBox!.split(" ").map(Number);
    for (const b of bars) expect(num(b, "x") + num(b, "width")).toBeLessThanOrEqual(vbWidth!);
    expect(bottoms[0]).toBeLessThan(vbHeight!);
  });

  it("labels the axes with formatTick's ticks, the title, every category and the values over the bars", async () => {
    const html = await render(BarChart(props()));
    expect(texts(html, "h3")).toEqual(["Won per month"]);
    const ticks = texts(inner(html, '<g class="chart-ticks"'), "text");
    expect(ticks).toContain("~0");
    expect(ticks).toContain("~40");
    expect(ticks.every((t) => /^~\d+$/.test(t))).toBe(true);
    expect(texts(inner(html, '<g class="chart-categories"'), "text")).toEqual([
      "January 2026",
      "February 2026",
      "March 2026",
    ]);
    const axisLabels = texts(html, 'text class="chart-axis-label"');
    expect(axisLabels).toEqual(["Month", "Amount won"]);
    expect(texts(inner(html, '<g class="chart-values"'), "text")).toEqual(["€10.00", "€20.00", "€40.00"]);
  });

  it("ticks counts at whole numbers only, and puts a category's short tick on the axis", async () => {
    const counts = props({
      series: [{ key: "deals", name: "Deals", values: [1, 0, 1] }],
      categories: [
        { key: "a", label: "January 2026", tick: "2026" },
        { key: "b", label: "February 2026", tick: "Feb" },
        { key: "c", label: "March 2026", tick: "Mar" },
      ],
      format: String,
      formatTick: String,
      integers: true,
    });
    const html = await render(BarChart(counts));
    const ticks = texts(inner(html, '<g class="chart-ticks"'), "text");
    expect(ticks).toEqual(["0", "1", "2", "3", "4", "5"]);
    expect(texts(inner(html, '<g class="chart-categories"'), "text")).toEqual(["2026", "Feb", "Mar"]);
    // Fractions without `integers`.
    const fractional = await render(BarChart({ ...counts, integers: false }));
    expect(texts(inner(fractional, '<g class="chart-ticks"'), "text")).toContain("0.2");
    // The full label stays in the tooltip and the table.
    expect(html).toContain("<title>February 2026, Deals: 0</title>");
    expect(inner(html, "<tbody")).toContain("February 2026");
  });

  it("makes each bar a keyboard stop named by its category and formatted value, with a tooltip", async () => {
    const html = await render(BarChart(props()));
    const marks = tags(html, 'g class="chart-mark"');
    expect(marks).toHaveLength(3);
    for (const m of marks) expect(m).toMatchObject({ tabindex: "0", role: "img" });
    expect(texts(html, "title")).toEqual([
      "January 2026, Won: €10.00",
      "February 2026, Won: €20.00",
      "March 2026, Won: €40.00",
    ]);
    const tip = inner(html, '<g class="chart-tip"');
    expect(tip).toContain("January 2026");
    expect(tip).toContain("Won: €10.00");
  });

  it("shows the same numbers as a table, without scripts or inline styles", async () => {
    const html = await render(BarChart(props()));
    const table = inner(html, '<details class="chart-table"');
    expect(table).toContain("<summary>Show as table</summary>");
    expect(texts(table, "caption")).toEqual(["Won per month"]);
    expect(texts(table, 'th scope="col"')).toEqual(["Month", "Won"]);
    expect(texts(table, 'th scope="row"')).toEqual(["January 2026", "February 2026", "March 2026"]);
    expect(texts(table, "td")).toEqual(["€10.00", "€20.00", "€40.00"]);
    expect(html).not.toMatch(/\sstyle=|<script/i);
  });

  it("groups bars per series, told apart by fill pattern and a legend, each a named stop", async () => {
    const html = await render(
      BarChart(
        props({
          series: [
            { key: "won", name: "Won", values: [10, 20, 40] },
            { key: "lost", name: "Lost", values: [5, 0, 10] },
          ],
        }),
      ),
    );
    const groups = tags(html, 'g class="chart-bars');
    expect(groups.map((g) => g.fill)).toEqual(["currentColor", "url(#won-p1)"]);
    expect(tags(html, "pattern").map((p) => p.id)).toEqual(["won-p1"]);
    const legend = inner(html, '<ul class="chart-legend"');
    expect([...legend.matchAll(/<\/svg>([^<]*)<\/li>/g)].map((m) => m[1])).toEqual(["Won", "Lost"]);
    expect(texts(html, "title")).toContain("March 2026, Lost: €10.00");
    expect(tags(html, 'g class="chart-mark"')).toHaveLength(6);
  });

  it("thins category labels beyond 8 so they never overlap, keeping every one in the table", async () => {
    const html = await render(
      BarChart(
        props({ categories: months(24), series: [{ key: "n", name: "New", values: months(24).map((_, i) => i + 1) }] }),
      ),
    );
    const shown = tags(inner(html, '<g class="chart-categories"'), "text").map((t) => num(t, "x"));
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.length).toBeLessThan(24);
    const gaps = shown.slice(1).map((x, i) => x - shown[i]!);
    // "Month 01" is ~90 units wide at the largest text size the CSS uses.
    expect(Math.min(...gaps)).toBeGreaterThan(90);
    expect(texts(html, 'th scope="row"')).toHaveLength(24);
    const eight = await render(
      BarChart(props({ categories: months(8), series: [{ key: "n", name: "New", values: [1, 2, 3, 4, 5, 6, 7, 8] }] })),
    );
    expect(tags(inner(eight, '<g class="chart-categories"'), "text")).toHaveLength(8);
  });

  it("stays small: 12 months of one series under 7 KB", async () => {
    const html = await render(
      BarChart(
        props({
          categories: months(12),
          series: [{ key: "w", name: "Won", values: months(12).map((_, i) => 1234.5 * i) }],
        }),
      ),
    );
    expect(html.length).toBeLessThan(7000);
    // Coordinates are rounded to one decimal.
    expect(html).not.toMatch(/="[^"]*\d\.\d{2}/);
  });

  it("shows the empty text instead of an empty axis when every value is 0", async () => {
    const html = await render(
      BarChart(props({ series: [{ key: "won", name: "Won", values: [0, 0, 0] }], empty: "No deals won yet" })),
    );
    expect(html).toContain("No deals won yet");
    expect(html).toContain("Won per month");
    expect(html).not.toContain("<svg");
    expect(html).not.toContain("<table");
  });

  it("escapes labels and names", async () => {
    const html = await render(
      BarChart(
        props({
          categories: [{ key: "x", label: "<script>alert(1)</script>" }],
          series: [{ key: "s", name: '"><img src=x>', values: [3] }],
        }),
      ),
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("escapes every text it is given, in both charts, legends, ticks, tooltips, the table and the empty text", async () => {
    const evil = (what: string) => `<i data-x="${what}">&'`;
    const escaped = (what: string) => `&lt;i data-x=&quot;${what}&quot;&gt;&amp;&#39;`;
    const given = props({
      id: 'c"><i',
      title: evil("title"),
      xLabel: evil("x"),
      yLabel: evil("y"),
      summary: evil("summary"),
      categories: [
        { key: "a", label: evil("label"), tick: evil("tick") },
        { key: "b", label: "B" },
      ],
      series: [
        { key: "s", name: evil("first"), values: [3, 5] },
        { key: "t", name: evil("second"), values: [2, 1] },
      ],
      format: (n) => `${evil("value")}${n}`,
      formatTick: (n) => `${evil("axis")}${n}`,
    });
    const empty = { ...given, series: [{ key: "z", name: "Z", values: [0, 0] }], empty: evil("empty") };
    const charts = [BarChart(given), LineChart(given), BarChart(empty), LineChart(empty)];
    for (const html of await Promise.all(charts.map(render))) {
      expect(html).not.toMatch(/<i\b/);
      expect(html).toContain('id="c&quot;&gt;&lt;i"');
    }
    for (const html of [await render(BarChart(given)), await render(LineChart(given))]) {
      for (const what of ["title", "x", "y", "summary", "label", "first", "second", "value", "axis"]) {
        expect(html, what).toContain(escaped(what));
      }
    }
    expect(await render(BarChart(empty))).toContain(escaped("empty"));
  });
});

describe("line chart", () => {
  const lines = () =>
    props({
      id: "deals",
      series: [
        { key: "new", name: "New", values: [4, 8, 2] },
        { key: "won", name: "Won", values: [1, 3, 2] },
        { key: "lost", name: "Lost", values: [0, 1, 1] },
      ],
      format: (n) => `${n} deals`,
    });

  it("draws one point per category, a higher value higher on screen", async () => {
    const html = await render(LineChart(lines()));
    const paths = tags(html, 'path class="chart-line');
    expect(paths).toHaveLength(3);
    const points = paths[0]!.d!.match(/[ML][\d.]+,[\d.]+/g)!.map((p) => p.slice(1).split(",").map(Number));
    expect(points).toHaveLength(3);
    const [jan, feb, mar] = points.map((p) => p[1]!);
    expect(feb).toBeLessThan(jan!);
    expect(jan).toBeLessThan(mar!);
    expect(points[0]![0]).toBeLessThan(points[1]![0]!);
  });

  it("tells series apart by marker shape and dash, with a legend naming them", async () => {
    const html = await render(LineChart(lines()));
    const paths = tags(html, 'path class="chart-line');
    expect(new Set(paths.map((p) => p["marker-mid"])).size).toBe(3);
    expect(new Set(paths.map((p) => p["stroke-dasharray"] ?? "solid")).size).toBe(3);
    const markerShapes = tags(html, "marker").map((m) => inner(html, `<marker id="${m.id}"`));
    expect(new Set(markerShapes).size).toBe(3);
    expect(paths.map((p) => p["marker-mid"])).toEqual(tags(html, "marker").map((m) => `url(#${m.id})`));
    expect(inner(html, '<ul class="chart-legend"')).toMatch(/New<\/li>.*Won<\/li>.*Lost<\/li>/);
  });

  it("has one keyboard stop per category whose name and tooltip list every series' value", async () => {
    const html = await render(LineChart(lines()));
    expect(tags(html, 'g class="chart-mark"')).toHaveLength(3);
    expect(texts(html, "title")[1]).toBe("February 2026, New: 8 deals; Won: 3 deals; Lost: 1 deals");
    const tip = inner(html, '<g class="chart-tip"');
    for (const line of ["January 2026", "New: 4 deals", "Won: 1 deals", "Lost: 0 deals"]) expect(tip).toContain(line);
    expect(texts(html, "td")).toEqual([
      "4 deals",
      "1 deals",
      "0 deals",
      "8 deals",
      "3 deals",
      "1 deals",
      "2 deals",
      "2 deals",
      "1 deals",
    ]);
  });

  it("shows the empty text when there is nothing to draw", async () => {
    const html = await render(LineChart(props({ categories: [], series: [], empty: "No deals yet" })));
    expect(html).toContain("No deals yet");
    expect(html).not.toContain("<svg");
  });
});

describe("compact tick format", () => {
  it("shortens numbers in the reader's locale and currency", () => {
    expect(compactFormat("en-US", "USD")(12_300)).toBe("$12.3K");
    expect(compactFormat("en-US")(2_500_000)).toBe("2.5M");
    expect(compactFormat("de-DE", "EUR")(1_500_000)).toMatch(/1,5\sMio\.\s€/);
    expect(compactFormat("not a locale!", "EUR")(12_000)).toBe("12K");
  });
});
