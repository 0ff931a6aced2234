/** A table's header row of column names, each a column header for screen readers. */
export function TableHead(p: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {p.columns.map((name) => (
          <th scope="col">{name}</th>
        ))}
      </tr>
    </thead>
  );
}
