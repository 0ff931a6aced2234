/**
 * The contacts list's "Columns" control (issue 18): a <details> with a plain GET form, a checkbox and a
 * position select per column; the route turns it into the `cols` URL parameter. No drag, no script.
 */
export interface ColumnChoice {
  id: string;
  label: string;
  shown: boolean;
}

export function ColumnsMenu(p: {
  /** Shown columns first, in their order, then the others. */
  choices: ColumnChoice[];
  /** The list's other parameters (filters, sort), kept as they are. */
  keep: [string, string][];
}) {
  const positions = p.choices.map((_, i) => i + 1);
  return (
    <details class="columns-menu">
      <summary>Columns</summary>
      <form method="get" action="/app/contacts" class="columns-panel">
        <input type="hidden" name="columns_form" value="1" />
        {p.keep.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <fieldset>
          <legend>Show and order the columns</legend>
          <ul class="column-choices">
            {p.choices.map((choice, i) => (
              <li>
                <label>
                  <input type="checkbox" name="col" value={choice.id} checked={choice.shown} /> {choice.label}
                </label>
                <label class="visually-hidden" for={`col-pos-${choice.id}`}>
                  Position of {choice.label}
                </label>
                <select id={`col-pos-${choice.id}`} name={`pos_${choice.id}`}>
                  {positions.map((n) => (
                    <option value={String(n)} selected={n === i + 1}>
                      {n}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
        </fieldset>
        <button type="submit">Apply columns</button>
      </form>
    </details>
  );
}
