import { TableHead } from "../../components/TableHead";
import { TimeCell } from "../../components/Time";
import { SelectField } from "../companies/FormFields";
import { JobStall, type JobStallView } from "../../components/JobStall";

export interface WorkspaceDatabase {
  database: string;
  latest: { status: string; source: string; target: string; message: string | null; updatedAt: number } | null;
  /** Set while its unfinished move has not moved for a while. */
  stall: JobStallView | null;
  /** Databases it may move to now; empty while a move is unfinished. */
  targets: string[];
  canMove: boolean;
  error?: string;
}

/**
 * Where the workspace's records are, its latest move and, for admins, moving it (docs/operations.md, "Shards").
 * The workspace keeps working during the copy; its changes pause for about a minute at the end.
 */
export function DatabaseSection(p: WorkspaceDatabase & { action: string }) {
  return (
    <section class="card" aria-labelledby="database-h">
      <h2 id="database-h">Database</h2>
      <p>
        Its records are on <strong data-database={p.database}>{p.database}</strong>.
      </p>
      {p.latest ? (
        <table>
          <caption class="muted">Its latest move</caption>
          <TableHead columns={["From", "To", "State", "Note", "Updated"]} />
          <tbody>
            <tr>
              <td data-label="From">{p.latest.source}</td>
              <td data-label="To">{p.latest.target}</td>
              <td data-label="State" data-move-status={p.latest.status}>
                {p.latest.status}
              </td>
              <td data-label="Note">
                {p.latest.message ?? ""}
                <JobStall stall={p.stall} />
              </td>
              <TimeCell ms={p.latest.updatedAt} />
            </tr>
          </tbody>
        </table>
      ) : null}
      {p.canMove && p.targets.length > 0 ? (
        <form class="stack" method="post" action={p.action}>
          <p class="muted">
            The workspace is copied while it is used; at the end its changes pause for about a minute (its members see a
            notice), then it works from the new database. A failed check rolls it back with nothing lost.
          </p>
          <SelectField
            name="target"
            label="Move it to"
            options={p.targets.map((t) => ({ value: t, label: t }))}
            empty="Choose a database"
            required
            error={p.error}
          />
          <button type="submit">Start the move</button>
        </form>
      ) : p.canMove ? (
        <p class="muted">A move is under way: wait for it to end before starting another.</p>
      ) : null}
    </section>
  );
}
