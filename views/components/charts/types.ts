/** Shared props of the server-rendered SVG charts (BarChart, LineChart). */
export interface ChartCategory {
  key: string;
  label: string;
  /** A shorter label for the axis ("Mar" for "Mar 2026"); the tooltip and the table keep `label`. */
  tick?: string;
}
export interface ChartSeries {
  key: string;
  name: string;
  /** One value per category, never negative: amounts in major units, or counts. */
  values: number[];
}
export interface ChartProps {
  /** Unique on the page: prefixes the aria ids and the marker/pattern ids. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  categories: ChartCategory[];
  series: ChartSeries[];
  /** The full value in the reader's locale/currency, e.g. "€12,300.00". */
  format: (value: number) => string;
  /** Short axis ticks, e.g. "€12K"; defaults to format. */
  formatTick?: (value: number) => string;
  summary?: string;
  /** The values are counts: ticks only at whole numbers. */
  integers?: boolean;
  /** Shown instead of the chart when there is nothing to chart (see hasData). */
  empty?: string;
  /**
   * Whether there is anything to chart, from what the caller counted (deals, stays): a chart of zeros (every deal
   * lost) is still drawn. Without it, the chart is empty when every value is 0.
   */
  hasData?: boolean;
}
