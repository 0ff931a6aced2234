import { formatInstant, readerTimeZone, type TimePrecision } from "../lib/time";

/** A timestamp (epoch ms) as a <time> element: the date, or date and time, in the reader's zone. */
export function Time(p: { ms: number; precision?: TimePrecision }) {
  return <time datetime={new Date(p.ms).toISOString()}>{formatInstant(p.ms, readerTimeZone(), p.precision)}</time>;
}

/** A table cell holding one moment; `label` names its column where narrow screens stack the cells. */
export function TimeCell(p: { ms: number; precision?: TimePrecision; label?: string }) {
  return (
    <td data-label={p.label}>
      <Time ms={p.ms} precision={p.precision} />
    </td>
  );
}
