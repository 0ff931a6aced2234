/** "Select all N matching": one checkbox for the bulk form, carrying the list's filters as its query. */
export function SelectMatching(p: { matching: { query: string; label: string } }) {
  return (
    <label class="select-matching">
      <input type="checkbox" name="scope" value="matching" form="bulk-form" /> {p.matching.label}
      <input type="hidden" name="match_query" value={p.matching.query} form="bulk-form" />
    </label>
  );
}
