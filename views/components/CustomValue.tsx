import { CalendarDate } from "./Time";
import { RichText } from "./RichText";
import { numberForInput } from "../../src/lib/money";
import { readerLocale } from "../lib/time";

/** A custom field's value for display: "Yes" for a ticked checkbox, a safe link for a URL, numbers in the reader's locale, text otherwise. */
export function CustomValue(p: { kind: string; value: string }) {
  if (p.kind === "checkbox") return <>Yes</>;
  // A calendar date, written the reader's way (its datetime stays ISO).
  if (p.kind === "date") return <CalendarDate date={p.value} />;
  // A number, written the reader's way ("1.234,5" in de), as they type it in the form.
  if (p.kind === "number") return <>{numberForInput(p.value, readerLocale() ?? "en")}</>;
  // URL values were checked to be http(s) when saved.
  if (p.kind === "url")
    return (
      <a href={p.value} rel="noopener noreferrer nofollow ugc" target="_blank">
        {p.value}
      </a>
    );
  return <RichText text={p.value} />;
}
