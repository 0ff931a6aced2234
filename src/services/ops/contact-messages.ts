/** Erasing what someone who wrote through /contact left, whether or not they have an account. */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { emailOutbox, supportMessages } from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { type OperatorNote, operatorAudit } from "./operator";

export interface EraseContactMessagesResult {
  messages: number;
  mail: number;
}

/**
 * Their messages, the acknowledgements and any other mail to their address, and our support inbox's
 * copies of their messages (which quote the address). Audited without the address; the counts say what went.
 */
export async function eraseContactMessages(
  db: Database,
  email: string,
  note: OperatorNote,
  meta: RequestMeta,
): Promise<EraseContactMessagesResult> {
  const [messages, toThem, copies] = await db.batch([
    db.delete(supportMessages).where(eq(supportMessages.email, email)).returning({ id: supportMessages.id }),
    db.delete(emailOutbox).where(eq(emailOutbox.toAddress, email)).returning({ id: emailOutbox.id }),
    db
      .delete(emailOutbox)
      .where(
        and(
          isNull(emailOutbox.tenantId),
          eq(emailOutbox.kind, "support_message"),
          sql`instr(${emailOutbox.textBody}, ${email}) > 0`,
        ),
      )
      .returning({ id: emailOutbox.id }),
  ]);
  const result = { messages: messages.length, mail: toThem.length + copies.length };
  await operatorAudit(db, note, meta, {
    action: "ops.contact_messages_erased",
    targetType: "contact_messages",
    detail: { messages: result.messages, mail: result.mail },
  });
  return result;
}
