import type { Child } from "hono/jsx";
import { drawnValue, type Frame, HEIGHT, r1, TIP_LINE, type TipBox, WIDTH } from "./layout";
import type { ChartProps } from "./types";

/** The chart's figure: its title and summary, then the empty text, or the legend, the SVG and the table. */
export function ChartFigure(p: { chart: ChartProps; empty: boolean; legend?: Child; children?: Child }) {
  const { id, title, summary } = p.chart;
  return (
    <figure class="chart" id={id} aria-labelledby={`${id}-title`}>
      <figcaption>
        <h3 id={`${id}-title`}>{title}</h3>
        {summary ? <p class="chart-summary">{summary}</p> : null}
      </figcaption>
      {p.empty ? (
        <p class="chart-empty">{p.chart.empty ?? "No data yet."}</p>
      ) : (
        <>
          {p.legend}
          {p.children}
          <ChartTable chart={p.chart} />
        </>
      )}
    </figure>
  );
}

/** The SVG canvas: grid and ticks under the data, the baseline and axis labels over it. */
export function ChartSvg(p: { chart: ChartProps; frame: Frame; defs?: Child; children?: Child }) {
  const { frame: f, chart } = p;
  const grid = f.ticks.map((t) => `M${f.left} ${t.y}H${f.right}`).join("");
  return (
    <svg
      class="chart-svg"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="group"
      aria-label={`${chart.yLabel} by ${chart.xLabel}`}
    >
      {p.defs ? <defs>{p.defs}</defs> : null}
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG g is not focusable; the table has these words */}
      <g aria-hidden="true">
        <path class="chart-grid" d={grid} />
        <g class="chart-ticks" text-anchor="end" dominant-baseline="middle">
          {f.ticks.map((t) => (
            <text x={f.left - 6} y={t.y}>
              {t.label}
            </text>
          ))}
        </g>
        <g class="chart-categories" text-anchor="middle" dominant-baseline="hanging">
          {f.labels.map((l) => (
            <text x={l.x} y={f.bottom + 6}>
              {l.text}
            </text>
          ))}
        </g>
        <text class="chart-axis-label" text-anchor="middle" x={r1((f.left + f.right) / 2)} y={HEIGHT - 6}>
          {chart.xLabel}
        </text>
        <text
          class="chart-axis-label"
          text-anchor="middle"
          dominant-baseline="hanging"
          transform="rotate(-90)"
          x={-r1((f.top + f.bottom) / 2)}
          y="4"
        >
          {chart.yLabel}
        </text>
      </g>
      {p.children}
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a path is not focusable; it is decoration */}
      <path class="chart-baseline" d={`M${f.left} ${f.bottom}H${f.right}`} aria-hidden="true" />
    </svg>
  );
}

/**
 * One keyboard stop, named by its <title> (role img: the tooltip inside is not read twice), a transparent hit
 * area that draws the focus ring, and the tooltip app.css shows on hover and focus. Marks come after the drawn
 * data, so a tooltip paints over it.
 */
export function ChartMark(p: {
  name: string;
  hit: { x: number; y: number; width: number; height: number };
  tip: TipBox;
}) {
  const { hit, tip } = p;
  const [first, ...rest] = tip.lines;
  return (
    // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a focusable data point is an image of a value
    <g class="chart-mark" tabindex="0" role="img">
      <title>{p.name}</title>
      <rect x={hit.x} y={hit.y} width={hit.width} height={hit.height} />
      <g class="chart-tip">
        <rect x={tip.x} y={tip.y} width={tip.width} height={tip.height} />
        <text x={tip.centre} y={tip.firstBaseline}>
          {first}
          {rest.map((line) => (
            <tspan x={tip.centre} dy={TIP_LINE}>
              {line}
            </tspan>
          ))}
        </text>
      </g>
    </g>
  );
}

/** The same numbers as a table, for screen readers and copying; a <details> so it works without scripts. */
function ChartTable(p: { chart: ChartProps }) {
  const { chart } = p;
  return (
    <details class="chart-table">
      <summary>Show as table</summary>
      <table>
        <caption>{chart.title}</caption>
        <thead>
          <tr>
            <th scope="col">{chart.xLabel}</th>
            {chart.series.map((s) => (
              <th scope="col">{s.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {chart.categories.map((c, i) => (
            <tr>
              <th scope="row">{c.label}</th>
              {chart.series.map((s) => (
                <td>{chart.format(drawnValue(s.values, i))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
