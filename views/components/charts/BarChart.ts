import { scaleBand } from "d3-scale";
import type { HtmlEscapedString } from "hono/utils/html";
import { drawnValue, FONT, frame, isEmpty, r1, textWidth, tipBox } from "./layout";
import { Markup, markup } from "./markup";
import { chartFigure, chartMark, chartSvg } from "./parts";
import { chartLegend, patternId, STYLE_COUNT, seriesClass, seriesPattern } from "./series-styles";
import type { ChartProps } from "./types";

const VALUES_G = new Markup('<g class="chart-values" text-anchor="middle" aria-hidden="true">');

/**
 * A bar chart as SVG, laid out on the server: one bar per category, or grouped bars (one per series, told
 * apart by fill pattern and a legend). Each bar is a keyboard stop with a tooltip; its value is written above
 * it when it fits. Markup from markup.ts's template (it says why); usable as a JSX component.
 */
export function BarChart(props: ChartProps): HtmlEscapedString {
  if (isEmpty(props)) return chartFigure(props, null);
  const f = frame(props, { inner: 0.2, outer: 0.1 });
  const grouped = props.series.length > 1;
  const inGroup = scaleBand<number>()
    .domain(props.series.map((_, i) => i))
    .range([0, f.x.bandwidth()])
    .paddingInner(grouped ? 0.08 : 0);
  const width = r1(inGroup.bandwidth());
  const base = r1(f.y(0));
  // Each value in the full format once: the table, the tooltip and the label over the bar all show it.
  const formatted = props.series.map((s) => props.categories.map((_, ci) => props.format(drawnValue(s.values, ci))));
  const bars = props.series.map((s, si) =>
    props.categories.map((c, ci) => {
      const value = drawnValue(s.values, ci);
      const height = r1(base - f.y(value));
      const x = r1(f.x(c.key)! + inGroup(si)!);
      return { x, y: r1(base - height), height, value, text: formatted[si]![ci]!, category: c, series: s };
    }),
  );
  const flat = bars.flat();
  const valueTexts = valueLabels(props, flat, grouped ? inGroup.step() : f.x.step());

  const data = bars.map((row, si) => {
    const fill = si % STYLE_COUNT ? `url(#${patternId(props.id, si)})` : "currentColor";
    const stroke = grouped ? new Markup(' stroke="currentColor"') : "";
    const rects = row.map((b) => markup`<rect x="${b.x}" y="${b.y}" width="${width}" height="${b.height}"></rect>`);
    return markup`<g class="chart-bars ${seriesClass(si)}" fill="${fill}"${stroke}>${rects}</g>`;
  });
  if (valueTexts) {
    const texts = flat.map(
      (b, i) => markup`<text x="${r1(b.x + width / 2)}" y="${r1(b.y - 4)}">${valueTexts[i]}</text>`,
    );
    data.push(markup`${VALUES_G}${texts}</g>`);
  }
  const hitHeight = r1(f.bottom - f.top);
  for (const b of flat) {
    const amount = `${b.series.name}: ${b.text}`;
    const hit = { x: b.x, y: f.top, width, height: hitHeight };
    data.push(
      chartMark(`${b.category.label}, ${amount}`, hit, tipBox([b.category.label, amount], r1(b.x + width / 2), b.y)),
    );
  }

  const defs = grouped ? props.series.slice(1).map((_, i) => seriesPattern(props.id, i + 1)) : null;
  const legend = grouped
    ? chartLegend(
        props.id,
        props.series.map((s) => s.name),
        "bar",
      )
    : undefined;
  return chartFigure(props, { legend, svg: chartSvg(props, f, defs, data), formatted });
}

/**
 * The texts over the bars (shown by app.css in a wide chart): in full if every one fits its bar's room, else in
 * the short tick format, else none at all rather than some bars with and some without.
 */
function valueLabels(props: ChartProps, bars: { value: number; text: string }[], room: number): string[] | null {
  const fits = (texts: string[]) => texts.every((text) => textWidth(text, FONT) <= room - 2);
  const full = bars.map((b) => b.text);
  if (fits(full)) return full;
  if (!props.formatTick) return null;
  const short = bars.map((b) => props.formatTick!(b.value));
  return fits(short) ? short : null;
}
