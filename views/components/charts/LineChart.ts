import { line } from "d3-shape";
import type { HtmlEscapedString } from "hono/utils/html";
import { drawnValue, frame, isEmpty, r1, tipBox } from "./layout";
import { Markup, markup } from "./markup";
import { chartFigure, chartMark, chartSvg } from "./parts";
import { chartLegend, dashAttr, markerId, seriesClass, seriesMarker } from "./series-styles";
import type { ChartProps } from "./types";

const LINE_STROKE = new Markup(' fill="none" stroke="currentColor" stroke-width="2"');

/**
 * A line chart as SVG, laid out on the server: 1..5 series, told apart by colour, marker shape and dash, with
 * a legend. One keyboard stop per category, whose tooltip lists every series' value there. Markup from
 * markup.ts's template (it says why); usable as a JSX component.
 */
export function LineChart(props: ChartProps): HtmlEscapedString {
  if (isEmpty(props)) return chartFigure(props, null);
  const f = frame(props, { inner: 0, outer: 0 });
  const centres = props.categories.map((c) => r1(f.x(c.key)! + f.x.bandwidth() / 2));
  const points = props.series.map((s) =>
    centres.map((x, i) => [x, r1(f.y(drawnValue(s.values, i)))] as [number, number]),
  );
  // Each value in the full format once: the table and the tooltip both show it.
  const formatted = props.series.map((s) => props.categories.map((_, ci) => props.format(drawnValue(s.values, ci))));
  const path = line();

  const data = points.map((row, si) => {
    const marker = `url(#${markerId(props.id, si)})`;
    const markers = markup`marker-start="${marker}" marker-mid="${marker}" marker-end="${marker}"`;
    const d = path(row) ?? "";
    return markup`<path class="chart-line ${seriesClass(si)}" d="${d}"${LINE_STROKE}${dashAttr(si)} ${markers}></path>`;
  });
  const hitWidth = r1(f.x.bandwidth() - 2);
  const hitHeight = r1(f.bottom - f.top);
  props.categories.forEach((c, ci) => {
    const amounts = props.series.map((s, si) => `${s.name}: ${formatted[si]![ci]}`);
    let highest = Number.POSITIVE_INFINITY;
    for (const row of points) highest = Math.min(highest, row[ci]![1]);
    const hit = { x: r1(f.x(c.key)! + 1), y: f.top, width: hitWidth, height: hitHeight };
    data.push(
      chartMark(`${c.label}, ${amounts.join("; ")}`, hit, tipBox([c.label, ...amounts], centres[ci]!, highest - 4)),
    );
  });

  const defs = props.series.map((_, i) => seriesMarker(props.id, i));
  const legend = chartLegend(
    props.id,
    props.series.map((s) => s.name),
    "line",
  );
  return chartFigure(props, { legend, svg: chartSvg(props, f, defs, data), formatted });
}
