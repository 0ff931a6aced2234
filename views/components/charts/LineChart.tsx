import { line } from "d3-shape";
import { drawnValue, frame, isEmpty, r1, tipBox } from "./layout";
import { ChartFigure, ChartMark, ChartSvg } from "./parts";
import { dashOf, ChartLegend, markerId, SeriesMarker, seriesClass } from "./series-styles";
import type { ChartProps } from "./types";

/**
 * A line chart as SVG, laid out on the server: 1..5 series, told apart by colour, marker shape and dash, with
 * a legend. One keyboard stop per category, whose tooltip lists every series' value there.
 */
export function LineChart(props: ChartProps) {
  if (isEmpty(props)) return <ChartFigure chart={props} empty />;
  const f = frame(props, { inner: 0, outer: 0 });
  const centre = (key: string) => r1(f.x(key)! + f.x.bandwidth() / 2);
  const points = props.series.map((s) =>
    props.categories.map((c, i) => [centre(c.key), r1(f.y(drawnValue(s.values, i)))] as [number, number]),
  );
  const path = line();
  return (
    <ChartFigure
      chart={props}
      empty={false}
      legend={<ChartLegend chartId={props.id} names={props.series.map((s) => s.name)} kind="line" />}
    >
      <ChartSvg
        chart={props}
        frame={f}
        defs={props.series.map((_, i) => <SeriesMarker chartId={props.id} index={i} />)}
      >
        {points.map((row, si) => {
          const marker = `url(#${markerId(props.id, si)})`;
          return (
            <path
              class={`chart-line ${seriesClass(si)}`}
              d={path(row) ?? ""}
              fill="none"
              stroke="currentColor"
              stroke-width="2"
              stroke-dasharray={dashOf(si)}
              marker-start={marker}
              marker-mid={marker}
              marker-end={marker}
            />
          );
        })}
        {props.categories.map((c, ci) => {
          const amounts = props.series.map((s) => `${s.name}: ${props.format(drawnValue(s.values, ci))}`);
          const highest = Math.min(...points.map((row) => row[ci]![1]));
          return (
            <ChartMark
              name={`${c.label}, ${amounts.join("; ")}`}
              hit={{ x: r1(f.x(c.key)! + 1), y: f.top, width: r1(f.x.bandwidth() - 2), height: r1(f.bottom - f.top) }}
              tip={tipBox([c.label, ...amounts], centre(c.key), highest - 4)}
            />
          );
        })}
      </ChartSvg>
    </ChartFigure>
  );
}
