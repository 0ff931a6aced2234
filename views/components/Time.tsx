import { formatCalendarDate, formatInstant, readerLocale, readerTimeZone, type TimePrecision } from "../lib/time";

/** A timestamp (epoch ms) as a <time> element: the date, or date and time, in the reader's zone and locale. */
export function Time(p: { ms: number; precision?: TimePrecision }) {
  return (
    <time datetime={new Date(p.ms).toISOString()}>
      {formatInstant(p.ms, readerTimeZone(), p.precision, readerLocale())}
    </time>
  );
}

/** A calendar date ('YYYY-MM-DD': a close date, a due date) in the reader's locale, never moved by a zone. */
export function CalendarDate(p: { date: string }) {
  return <time datetime={p.date}>{formatCalendarDate(p.date, readerLocale())}</time>;
}

/** A table cell holding one moment; `label` names its column where narrow screens stack the cells. */
export function TimeCell(p: { ms: number; precision?: TimePrecision; label?: string }) {
  return (
    <td data-label={p.label}>
      <Time ms={p.ms} precision={p.precision} />
    </td>
  );
}
