import { FormMessage } from "../../components/Field";

/** What the last action did (notice) or why it did nothing (error), at the top of a console page. */
export function ConsoleNotices(p: { notice?: string; error?: string }) {
  return (
    <>
      <FormMessage message={p.notice} kind="ok" />
      <FormMessage message={p.error} />
    </>
  );
}

/** The two-person rule in a queue's row: the one who asked sees why they cannot approve it. */
export const ASKED_BY_YOU = <span class="muted">Yours: another admin approves</span>;
