/**
 * The preview's warning when the new contacts will not fit the Free plan: the import writes its chunks in turn and
 * stops at the first one that would pass the limit (src/services/import/plan-contacts-sql.ts), so say so before commit.
 */
import { FormAlert } from "../../components/Field";

export interface PlanRoomView {
  /** The plan's contact limit. */
  limit: number;
  /** The workspace's contacts now. */
  contacts: number;
  /** The owner may upgrade; others ask them. */
  isOwner: boolean;
}

const n = (v: number) => v.toLocaleString("en-US");

/**
 * About how many of the file's rows go in before the chunk the room runs out in, taking the new contacts as spread
 * evenly over the chunks (a chunk past the limit writes none of its rows).
 */
export function rowsBeforeLimit(room: number, job: { newCount: number; totalRows: number; chunkCount: number }) {
  const chunks = Math.max(1, job.chunkCount);
  const chunksWritten = Math.floor((room / job.newCount) * chunks);
  return Math.round((chunksWritten / chunks) * job.totalRows);
}

/** The warning by the commit button, or nothing when the new contacts fit (or the plan has no limit). */
export function PlanRoomWarning(p: {
  room: PlanRoomView | null;
  job: { newCount: number; totalRows: number; chunkCount: number };
}) {
  if (!p.room) return null;
  const room = Math.max(0, p.room.limit - p.room.contacts);
  if (p.job.newCount <= room) return null;
  const rows = rowsBeforeLimit(room, p.job);
  return (
    <FormAlert kind="warn">
      <p>
        Your plan holds {n(p.room.limit)} contacts and the workspace has {n(p.room.contacts)}: this import would add{" "}
        {n(p.job.newCount)} new ones, so it will stop{" "}
        {rows > 0 ? `after about ${n(rows)} rows` : "before it imports any rows"}.{" "}
        {p.room.isOwner ? (
          <>
            <a href="/app/settings/billing">Upgrade</a>, or import a smaller file.
          </>
        ) : (
          "Ask the workspace owner to upgrade, or import a smaller file."
        )}
      </p>
    </FormAlert>
  );
}
