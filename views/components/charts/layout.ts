import { type ScaleBand, type ScaleLinear, scaleBand, scaleLinear } from "d3-scale";
import type { ChartProps } from "./types";

/** The fixed drawing area; the SVG scales to its container's width. */
export const WIDTH = 640;
export const HEIGHT = 280;
/**
 * Text is 12 units in a wide chart; app.css raises it to 16 in a narrower one and 20 on a phone, so the layout
 * makes room for 20. Values over bars show only at 12 (tooltips and the table have them otherwise).
 */
export const FONT = 12;
export const FONT_MAX = 20;
/** How much app.css enlarges a tooltip in a narrow chart (20 / 12): tooltips are placed to fit even then. */
export const TIP_SCALE = FONT_MAX / FONT;
const TOP = 28;
const BOTTOM = HEIGHT - 60;
const RIGHT_EDGE = WIDTH - 16;
/** Category labels beyond this many are thinned to every 2nd/3rd... so they never overlap. */
const ALL_LABELS_UP_TO = 8;

/** One decimal is plenty on a 640-unit canvas and keeps each chart's markup small. */
export const r1 = (n: number) => Math.round(n * 10) / 10;

/** Each character's width in em: ASCII by table, the currency signs €£¥ like digits, anything else wide. */
const ASCII_EM = new Float64Array(128).fill(0.72);
const setEm = (chars: string, em: number) => {
  for (const ch of chars) ASCII_EM[ch.charCodeAt(0)] = em;
};
setEm("abcdefghijklmnopqrstuvwxyz", 0.54);
setEm("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 0.7);
setEm("0123456789$", 0.58);
setEm("mwMW@%", 0.88);
setEm("ilIjtfr()[]", 0.34);
setEm(" .,:;'!|", 0.3);
const ELLIPSIS_EM = 0.72;

/** The em widths of a text's characters (code points: an emoji counts once), in order. */
function charEms(text: string): number[] {
  const ems: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    ems.push(code < 128 ? ASCII_EM[code]! : code === 0x20ac || code === 0xa3 || code === 0xa5 ? 0.58 : 0.72);
  }
  return ems;
}

/**
 * A conservative width estimate of a text in a sans-serif font (no DOM on the server to measure it). Charts
 * measure every tick, label and tooltip line, so this is a table lookup per character, not regexes.
 */
export function textWidth(text: string, font = FONT_MAX): number {
  let em = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) em += ASCII_EM[code]!;
    else if (code === 0x20ac || code === 0xa3 || code === 0xa5) em += 0.58;
    else {
      // A surrogate pair is one character.
      if (code >= 0xd800 && code < 0xdc00) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next < 0xe000) i++;
      }
      em += 0.72;
    }
  }
  return em * font;
}

/**
 * The text cut with an ellipsis to fit a width (the full text stays in the marks' names and the table). The
 * widths of the shorter prefixes are running sums, not each measured again.
 */
export function fitText(text: string, width: number, font = FONT_MAX): string {
  if (textWidth(text, font) <= width) return text;
  const ems = charEms(text);
  const prefix = [0];
  for (const em of ems) prefix.push(prefix[prefix.length - 1]! + em);
  let keep = ems.length;
  while (keep > 1 && (prefix[keep]! + ELLIPSIS_EM) * font > width) keep--;
  return `${[...text].slice(0, keep).join("").trimEnd()}…`;
}

/** The widest of some texts (a loop: spreading a long array into Math.max costs a copy and can overflow). */
export function widestOf(texts: string[], font: number): number {
  let widest = Number.NEGATIVE_INFINITY;
  for (const text of texts) widest = Math.max(widest, textWidth(text, font));
  return widest;
}

/** A series' value at a category, as drawn: missing, negative or not-a-number draws as 0. */
export function drawnValue(values: number[], index: number): number {
  const v = values[index];
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * Whether the chart shows its `empty` text instead: the caller's counts decide when it gives `hasData` (a win rate
 * of 0 % or stays under 0.1 days are figures, not "nothing"); otherwise, when no value is drawn above 0.
 */
export function isEmpty(p: ChartProps): boolean {
  if (!p.categories.length || !p.series.length) return true;
  if (p.hasData !== undefined) return !p.hasData;
  return !p.series.some((s) => p.categories.some((_, i) => drawnValue(s.values, i) > 0));
}

export interface CategoryLabel {
  x: number;
  text: string;
}

export interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  y: ScaleLinear<number, number>;
  x: ScaleBand<string>;
  ticks: { y: number; label: string }[];
  labels: CategoryLabel[];
}

/** Scales, ticks and category labels shared by both charts; padding is the category band's (0 for lines). */
export function frame(p: ChartProps, padding: { inner: number; outer: number }): Frame {
  const formatTick = p.formatTick ?? p.format;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of p.series) for (let i = 0; i < p.categories.length; i++) max = Math.max(max, drawnValue(s.values, i));
  // Counts tick in whole numbers: a top of at least 5 and no "0.2 deals".
  // Every value 0 (and counted, see isEmpty): an axis up to 1, not a scale of zero height.
  const y = scaleLinear()
    .domain([0, p.integers ? Math.max(max, 5) : max > 0 ? max : 1])
    .nice()
    .range([BOTTOM, TOP]);
  const tickValues = y.ticks(5).filter((t) => !p.integers || Number.isInteger(t));
  const tickLabels = tickValues.map((t) => formatTick(t));
  const left = Math.ceil(FONT_MAX + 6 + widestOf(tickLabels, FONT_MAX) + 8);
  const x = scaleBand<string>()
    .domain(p.categories.map((c) => c.key))
    .range([left, RIGHT_EDGE])
    .paddingInner(padding.inner)
    .paddingOuter(padding.outer);
  return {
    left,
    right: RIGHT_EDGE,
    top: TOP,
    bottom: BOTTOM,
    y,
    x,
    ticks: tickValues.map((t, i) => ({ y: r1(y(t)), label: tickLabels[i]! })),
    labels: categoryLabels(p, x),
  };
}

/** Every category's label up to 8 of them, else every n-th one; each cut to the room it has. */
function categoryLabels(p: ChartProps, x: ScaleBand<string>): CategoryLabel[] {
  const step = x.step();
  const widest = widestOf(
    p.categories.map((c) => c.tick ?? c.label),
    FONT_MAX,
  );
  const stride = p.categories.length <= ALL_LABELS_UP_TO ? 1 : Math.max(1, Math.ceil((widest + 8) / step));
  const labels: CategoryLabel[] = [];
  p.categories.forEach((c, i) => {
    if (i % stride) return;
    const centre = x(c.key)! + x.bandwidth() / 2;
    const room = Math.min(stride * step - 8, 2 * (centre - 2), 2 * (WIDTH - centre - 2));
    labels.push({ x: r1(centre), text: fitText(c.tick ?? c.label, room) });
  });
  return labels;
}

export interface TipBox {
  x: number;
  y: number;
  width: number;
  height: number;
  centre: number;
  firstBaseline: number;
  lines: string[];
}

export const TIP_LINE = 16;
/** The widest a tooltip line may be at FONT: its box (padding 14, rounded up to even) fits the canvas enlarged. */
const TIP_TEXT_MAX = (WIDTH - 4) / TIP_SCALE - 16;

/**
 * A tooltip box above (x, y), kept inside the canvas even at its enlarged size in a narrow chart. A line too long
 * for it (a long lost reason or name) is cut with an ellipsis; the mark's <title> and the table keep it whole.
 */
export function tipBox(fullLines: string[], anchorX: number, anchorY: number): TipBox {
  const lines = fullLines.map((line) => fitText(line, TIP_TEXT_MAX, FONT));
  const width = 2 * Math.ceil((widestOf(lines, FONT) + 14) / 2);
  const height = lines.length * TIP_LINE + 8;
  const halfScaled = (width * TIP_SCALE) / 2;
  const centre = Math.round(Math.min(Math.max(anchorX, halfScaled + 2), WIDTH - halfScaled - 2));
  const bottom = Math.round(Math.max(anchorY - 8, height * TIP_SCALE + 2));
  const top = bottom - height;
  return { x: centre - width / 2, y: top, width, height, centre, firstBaseline: top + 16, lines };
}
