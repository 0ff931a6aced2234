/** Filter controls the contacts, companies and deals lists share (each list's GET form holds them). */
import { SelectField, recordOptions, memberOptions } from "../pages/companies/FormFields";

/** The choices of a list's Order select. */
const DIRECTIONS = [
  { value: "asc", label: "Ascending" },
  { value: "desc", label: "Descending" },
];

/** Ascending or descending, for the list's Sort by. */
export function OrderFilter(p: { value: string }) {
  return <SelectField name="dir" label="Order" value={p.value} options={DIRECTIONS} />;
}

/** Only records carrying one of the workspace's tags. */
export function TagFilter(p: { tags: { id: number; name: string }[]; value?: string; id?: string; error?: string }) {
  return (
    <SelectField
      id={p.id}
      name="tag"
      label="Tag"
      empty="Any tag"
      value={p.value}
      error={p.error}
      options={recordOptions(p.tags)}
    />
  );
}

/** Only records owned by one member. */
export function OwnerFilter(p: { members: { userId: string; email: string }[]; value?: string; id?: string }) {
  return (
    <SelectField
      id={p.id}
      name="owner"
      label="Owner"
      empty="Anyone"
      value={p.value}
      options={memberOptions(p.members)}
    />
  );
}

/**
 * The htmx attributes of a list's search box: typing swaps only the results and keeps the URL in step;
 * without JavaScript the box is part of a plain GET form.
 */
export function liveSearch(url: string, target: string, swap?: "outerHTML") {
  return {
    "hx-get": url,
    "hx-trigger": "input changed delay:250ms, search",
    "hx-target": target,
    ...(swap ? { "hx-swap": swap } : {}),
    "hx-include": "closest form",
    "hx-push-url": "true",
  };
}
