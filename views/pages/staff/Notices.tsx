import { FormAlert } from "../../components/Field";

/** What the last action did (notice) or why it did nothing (error), at the top of a console page. */
export function ConsoleNotices(p: { notice?: string; error?: string }) {
  return (
    <>
      {p.notice ? (
        <FormAlert kind="ok">
          <p>{p.notice}</p>
        </FormAlert>
      ) : null}
      {p.error ? (
        <FormAlert>
          <p>{p.error}</p>
        </FormAlert>
      ) : null}
    </>
  );
}

/** The two-person rule in a queue's row: the one who asked sees why they cannot approve it. */
export const ASKED_BY_YOU = <span class="muted">Yours: another admin approves</span>;
