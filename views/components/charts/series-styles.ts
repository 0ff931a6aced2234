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
import { Markup, markup } from "./markup";

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

/** The markers' outlines centred on 0,0, coordinates rounded to keep the markup small; the same on every page. */
const MARKER_PATHS = SHAPES.map((shape) =>
  (symbol(shape, 56)() ?? "").replace(/-?\d+\.\d+(e-?\d+)?/g, (n) => String(r1(Number(n)))),
);
export const markerPath = (index: number): string => MARKER_PATHS[index % STYLE_COUNT]!;

/** ` stroke-dasharray="…"` for a dashed series, nothing for a solid one. */
export const dashAttr = (index: number) => {
  const dash = dashOf(index);
  return dash ? new Markup(` stroke-dasharray="${dash}"`) : "";
};

const FILL = new Markup(' fill="currentColor"');
const MARKER_BOX = new Markup(' viewBox="-7 -7 14 14" markerWidth="14" markerHeight="14" markerUnits="userSpaceOnUse"');

/** The marker drawn at every point of a line series (marker-start/mid/end of its path). */
export function seriesMarker(chartId: string, index: number): Markup {
  const id = markerId(chartId, index);
  const shape = markup`<path d="${markerPath(index)}"${FILL}></path>`;
  return markup`<marker id="${id}" class="chart-marker ${seriesClass(index)}"${MARKER_BOX}>${shape}</marker>`;
}

/** The fill of grouped bars after the first series: stripes, dots, bands, a grid, in the series' colour. */
const PATTERN_SHAPES = [
  '<rect width="6" height="6" fill="currentColor"></rect>',
  '<rect width="3" height="6" fill="currentColor"></rect>',
  '<circle cx="3" cy="3" r="1.8" fill="currentColor"></circle>',
  '<rect width="6" height="3" fill="currentColor"></rect>',
  '<path d="M0 0H6V2H2V6H0Z" fill="currentColor"></path>',
].map((shape) => new Markup(shape));

export function seriesPattern(chartId: string, index: number): Markup {
  const kind = index % STYLE_COUNT;
  const rotate = kind === 1 || kind === 4 ? new Markup(' patternTransform="rotate(45)"') : "";
  const id = patternId(chartId, index);
  const tile = new Markup(' width="6" height="6" patternUnits="userSpaceOnUse"');
  return markup`<pattern id="${id}" class="${seriesClass(index)}"${tile}${rotate}>${PATTERN_SHAPES[kind]}</pattern>`;
}

/** A legend entry's picture: the line with its dash and marker, or a bar swatch with its fill. */
function legendKey(chartId: string, index: number, kind: "line" | "bar"): Markup {
  let picture: Markup;
  if (kind === "line") {
    const d = markerPath(index);
    const marker = markup`<path class="chart-marker-shape" d="${d}"${FILL} transform="translate(14 7)"></path>`;
    picture = markup`<path d="M0 7H28" stroke="currentColor" stroke-width="2"${dashAttr(index)}></path>${marker}`;
  } else {
    const fill = index % STYLE_COUNT ? `url(#${patternId(chartId, index)})` : "currentColor";
    picture = markup`<rect x="7" y="1" width="14" height="12" fill="${fill}" stroke="currentColor"></rect>`;
  }
  const box = new Markup(' viewBox="0 0 28 14" width="28" height="14" aria-hidden="true" focusable="false"');
  return markup`<svg class="${seriesClass(index)}"${box}>${picture}</svg>`;
}

/** The legend: each series' name with its key (line and marker, or bar fill). */
export function chartLegend(chartId: string, names: string[], kind: "line" | "bar"): Markup {
  const items = names.map((name, i) => markup`<li>${legendKey(chartId, i, kind)}${name}</li>`);
  return markup`<ul class="chart-legend">${items}</ul>`;
}
