import { scaleBand } from "d3-scale";
import { drawnValue, FONT, frame, isEmpty, r1, textWidth, tipBox } from "./layout";
import { ChartFigure, ChartMark, ChartSvg } from "./parts";
import { ChartLegend, patternId, SeriesPattern, seriesClass, STYLE_COUNT } from "./series-styles";
import type { ChartProps } from "./types";

/**
 * A bar chart as SVG, laid out on the server: one bar per category, or grouped bars (one per series, told
 * apart by fill pattern and a legend). Each bar is a keyboard stop with a tooltip; its value is written above
 * it when it fits.
 */
export function BarChart(props: ChartProps) {
  if (isEmpty(props)) return <ChartFigure chart={props} empty />;
  const f = frame(props, { inner: 0.2, outer: 0.1 });
  const grouped = props.series.length > 1;
  const inGroup = scaleBand<number>()
    .domain(props.series.map((_, i) => i))
    .range([0, f.x.bandwidth()])
    .paddingInner(grouped ? 0.08 : 0);
  const width = r1(inGroup.bandwidth());
  const base = r1(f.y(0));
  const bars = props.series.map((s, si) =>
    props.categories.map((c, ci) => {
      const value = drawnValue(s.values, ci);
      const height = r1(base - f.y(value));
      return { x: r1(f.x(c.key)! + inGroup(si)!), y: r1(base - height), height, value, category: c, series: s };
    }),
  );
  const flat = bars.flat();
  const valueLabel = valueLabels(props, flat, grouped ? inGroup.step() : f.x.step());
  return (
    <ChartFigure
      chart={props}
      empty={false}
      legend={
        grouped ? <ChartLegend chartId={props.id} names={props.series.map((s) => s.name)} kind="bar" /> : undefined
      }
    >
      <ChartSvg
        chart={props}
        frame={f}
        defs={grouped ? props.series.slice(1).map((_, i) => <SeriesPattern chartId={props.id} index={i + 1} />) : null}
      >
        {bars.map((row, si) => (
          <g
            class={`chart-bars ${seriesClass(si)}`}
            fill={si % STYLE_COUNT ? `url(#${patternId(props.id, si)})` : "currentColor"}
            stroke={grouped ? "currentColor" : undefined}
          >
            {row.map((b) => (
              <rect x={b.x} y={b.y} width={width} height={b.height} />
            ))}
          </g>
        ))}
        {valueLabel ? (
          // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG g is not focusable; the marks name these values
          <g class="chart-values" text-anchor="middle" aria-hidden="true">
            {flat.map((b) => (
              <text x={r1(b.x + width / 2)} y={r1(b.y - 4)}>
                {valueLabel(b.value)}
              </text>
            ))}
          </g>
        ) : null}
        {flat.map((b) => {
          const amount = `${b.series.name}: ${props.format(b.value)}`;
          return (
            <ChartMark
              name={`${b.category.label}, ${amount}`}
              hit={{ x: b.x, y: f.top, width, height: r1(f.bottom - f.top) }}
              tip={tipBox([b.category.label, amount], r1(b.x + width / 2), b.y)}
            />
          );
        })}
      </ChartSvg>
    </ChartFigure>
  );
}

/**
 * Values over the bars (shown by app.css in a wide chart): in full if every one fits its bar's room, else in the
 * short tick format, else none at all rather than some bars with and some without.
 */
function valueLabels(props: ChartProps, bars: { value: number }[], room: number): ((v: number) => string) | null {
  const fits = (format: (v: number) => string) => bars.every((b) => textWidth(format(b.value), FONT) <= room - 2);
  if (fits(props.format)) return props.format;
  return props.formatTick && fits(props.formatTick) ? props.formatTick : null;
}
