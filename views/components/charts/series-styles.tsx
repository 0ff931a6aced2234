import {
  type SymbolType,
  symbol,
  symbolCircle,
  symbolCross,
  symbolDiamond,
  symbolSquare,
  symbolTriangle,
} from "d3-shape";
import { r1 } from "./layout";

/**
 * How series differ besides colour (WCAG 1.4.1): line series by marker shape and dash pattern, grouped bars by
 * fill pattern. Colours are app.css's --chart-1..5, through the chart-s0..4 classes. Beyond 5 series they repeat.
 */
const SHAPES: SymbolType[] = [symbolCircle, symbolSquare, symbolTriangle, symbolDiamond, symbolCross];
const DASHES: (string | undefined)[] = [undefined, "8 4", "2 3", "10 3 2 3", "5 5"];
export const STYLE_COUNT = SHAPES.length;

export const seriesClass = (index: number) => `chart-s${index % STYLE_COUNT}`;
export const dashOf = (index: number) => DASHES[index % STYLE_COUNT];
export const markerId = (chartId: string, index: number) => `${chartId}-m${index % STYLE_COUNT}`;
export const patternId = (chartId: string, index: number) => `${chartId}-p${index % STYLE_COUNT}`;

/** The marker's outline centred on 0,0, coordinates rounded to keep the markup small. */
export function markerPath(index: number): string {
  const d = symbol(SHAPES[index % STYLE_COUNT], 56)() ?? "";
  return d.replace(/-?\d+\.\d+(e-?\d+)?/g, (n) => String(r1(Number(n))));
}

/** The marker drawn at every point of a line series (marker-start/mid/end of its path). */
export function SeriesMarker(p: { chartId: string; index: number }) {
  return (
    <marker
      id={markerId(p.chartId, p.index)}
      class={`chart-marker ${seriesClass(p.index)}`}
      viewBox="-7 -7 14 14"
      markerWidth="14"
      markerHeight="14"
      markerUnits="userSpaceOnUse"
    >
      <path d={markerPath(p.index)} fill="currentColor" />
    </marker>
  );
}

/** The fill of grouped bars after the first series: stripes, dots, bands, a grid, each in the series' colour. */
export function SeriesPattern(p: { chartId: string; index: number }) {
  const kind = p.index % STYLE_COUNT;
  const rotate = kind === 1 || kind === 4 ? "rotate(45)" : undefined;
  return (
    <pattern
      id={patternId(p.chartId, p.index)}
      class={seriesClass(p.index)}
      width="6"
      height="6"
      patternUnits="userSpaceOnUse"
      patternTransform={rotate}
    >
      {kind === 0 ? <rect width="6" height="6" fill="currentColor" /> : null}
      {kind === 1 ? <rect width="3" height="6" fill="currentColor" /> : null}
      {kind === 2 ? <circle cx="3" cy="3" r="1.8" fill="currentColor" /> : null}
      {kind === 3 ? <rect width="6" height="3" fill="currentColor" /> : null}
      {kind === 4 ? <path d="M0 0H6V2H2V6H0Z" fill="currentColor" /> : null}
    </pattern>
  );
}

/** A legend entry's picture: the line with its dash and marker, or a bar swatch with its fill. */
export function LegendKey(p: { chartId: string; index: number; kind: "line" | "bar" }) {
  return (
    <svg class={seriesClass(p.index)} viewBox="0 0 28 14" width="28" height="14" aria-hidden="true" focusable="false">
      {p.kind === "line" ? (
        <>
          <path d="M0 7H28" stroke="currentColor" stroke-width="2" stroke-dasharray={dashOf(p.index)} />
          <path class="chart-marker-shape" d={markerPath(p.index)} fill="currentColor" transform="translate(14 7)" />
        </>
      ) : (
        <rect
          x="7"
          y="1"
          width="14"
          height="12"
          fill={p.index % STYLE_COUNT ? `url(#${patternId(p.chartId, p.index)})` : "currentColor"}
          stroke="currentColor"
        />
      )}
    </svg>
  );
}

/** The legend: each series' name with its key (line and marker, or bar fill). */
export function ChartLegend(p: { chartId: string; names: string[]; kind: "line" | "bar" }) {
  return (
    <ul class="chart-legend">
      {p.names.map((name, i) => (
        <li>
          <LegendKey chartId={p.chartId} index={i} kind={p.kind} />
          {name}
        </li>
      ))}
    </ul>
  );
}
