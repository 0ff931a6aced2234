import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { type Frame, HEIGHT, r1, TIP_LINE, type TipBox, WIDTH } from "./layout";
import { Markup, markup } from "./markup";
import type { ChartProps } from "./types";

/** One cell per series and category of the table, each formatted once for the table, marks and value labels. */
export type Formatted = string[][];

/**
 * The chart's figure: its title and summary, then the empty text, or the legend, the SVG and the table.
 * `formatted[si][ci]` is series si's value at category ci in the full format. Returned as hono's escaped
 * string, so the charts render as JSX components.
 */
export function chartFigure(
  chart: ChartProps,
  body: { legend?: Markup; svg: Markup; formatted: Formatted } | null,
): HtmlEscapedString {
  const { id, title, summary } = chart;
  const summaryP = summary ? markup`<p class="chart-summary">${summary}</p>` : null;
  const caption = markup`<figcaption><h3 id="${id}-title">${title}</h3>${summaryP}</figcaption>`;
  const content = body
    ? markup`${body.legend}${body.svg}${chartTable(chart, body.formatted)}`
    : markup`<p class="chart-empty">${chart.empty ?? "No data yet."}</p>`;
  return raw(markup`<figure class="chart" id="${id}" aria-labelledby="${id}-title">${caption}${content}</figure>`.text);
}

const SVG_BOX = new Markup(`viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="group"`);
const TICKS_G = new Markup('<g class="chart-ticks" text-anchor="end" dominant-baseline="middle">');
const CATEGORIES_G = new Markup('<g class="chart-categories" text-anchor="middle" dominant-baseline="hanging">');
const AXIS_LABEL = new Markup('class="chart-axis-label" text-anchor="middle"');
const Y_AXIS_LABEL = new Markup(`${AXIS_LABEL.text} dominant-baseline="hanging" transform="rotate(-90)"`);

/** The SVG canvas: grid and ticks under the data, the baseline and axis labels over it. */
export function chartSvg(chart: ChartProps, f: Frame, defs: Markup[] | null, data: Markup[]): Markup {
  const grid = f.ticks.map((t) => `M${f.left} ${t.y}H${f.right}`).join("");
  const tickX = f.left - 6;
  const ticks = f.ticks.map((t) => markup`<text x="${tickX}" y="${t.y}">${t.label}</text>`);
  const labelY = f.bottom + 6;
  const labels = f.labels.map((l) => markup`<text x="${l.x}" y="${labelY}">${l.text}</text>`);
  const xMiddle = r1((f.left + f.right) / 2);
  const xLabel = markup`<text ${AXIS_LABEL} x="${xMiddle}" y="${HEIGHT - 6}">${chart.xLabel}</text>`;
  const yMiddle = -r1((f.top + f.bottom) / 2);
  const yLabel = markup`<text ${Y_AXIS_LABEL} x="${yMiddle}" y="4">${chart.yLabel}</text>`;
  const gridPath = markup`<path class="chart-grid" d="${grid}"></path>`;
  const tickG = markup`${TICKS_G}${ticks}</g>`;
  const labelG = markup`${CATEGORIES_G}${labels}</g>`;
  const axes = markup`<g aria-hidden="true">${gridPath}${tickG}${labelG}${xLabel}${yLabel}</g>`;
  const baselineD = `M${f.left} ${f.bottom}H${f.right}`;
  const baseline = markup`<path class="chart-baseline" d="${baselineD}" aria-hidden="true"></path>`;
  const defsEl = defs ? markup`<defs>${defs}</defs>` : null;
  const name = `${chart.yLabel} by ${chart.xLabel}`;
  return markup`<svg class="chart-svg" ${SVG_BOX} aria-label="${name}">${defsEl}${axes}${data}${baseline}</svg>`;
}

/**
 * One keyboard stop, named by its <title> (role img: the tooltip inside is not read twice), a transparent hit
 * area that draws the focus ring, and the tooltip app.css shows on hover and focus. Marks come after the drawn
 * data, so a tooltip paints over it.
 */
export function chartMark(
  name: string,
  hit: { x: number; y: number; width: number; height: number },
  tip: TipBox,
): Markup {
  const [first, ...rest] = tip.lines;
  const more = rest.map((line) => markup`<tspan x="${tip.centre}" dy="${TIP_LINE}">${line}</tspan>`);
  const hitRect = markup`<rect x="${hit.x}" y="${hit.y}" width="${hit.width}" height="${hit.height}"></rect>`;
  const tipRect = markup`<rect x="${tip.x}" y="${tip.y}" width="${tip.width}" height="${tip.height}"></rect>`;
  const tipText = markup`<text x="${tip.centre}" y="${tip.firstBaseline}">${first}${more}</text>`;
  const tipG = markup`<g class="chart-tip">${tipRect}${tipText}</g>`;
  return markup`<g class="chart-mark" tabindex="0" role="img"><title>${name}</title>${hitRect}${tipG}</g>`;
}

/** The same numbers as a table, for screen readers and copying; a <details> so it works without scripts. */
function chartTable(chart: ChartProps, formatted: Formatted): Markup {
  const heads = chart.series.map((s) => markup`<th scope="col">${s.name}</th>`);
  const rows = chart.categories.map((c, ci) => {
    // Labelled: on a phone a table's cells stack, and its header row is not shown.
    const cells = formatted.map((values, si) => markup`<td data-label="${chart.series[si]!.name}">${values[ci]}</td>`);
    return markup`<tr><th scope="row">${c.label}</th>${cells}</tr>`;
  });
  const head = markup`<thead><tr><th scope="col">${chart.xLabel}</th>${heads}</tr></thead>`;
  const table = markup`<table><caption>${chart.title}</caption>${head}<tbody>${rows}</tbody></table>`;
  return markup`<details class="chart-table"><summary>Show as table</summary>${table}</details>`;
}
