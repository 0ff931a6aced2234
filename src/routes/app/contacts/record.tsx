/**
 * One contact under /app/contacts/:id: its page (one D1 batch with the session check), deleting it
 * (members), erasing it (a privacy request; admins and owners), adding a note to it and logging a call,
 * meeting or email on it (members).
 * Another tenant's contact id is simply not found (404).
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { formatPhone } from "../../../lib/phone";
import { render } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { deferSessionCheck, requireRole } from "../../../middleware/session";
import { deleteContacts } from "../../../services/contacts/delete";
import { contactPageFromResults, contactPageStatements, getContact } from "../../../services/contacts/page";
import { contactDealsStatements, relatedDealsFromResults } from "../../../services/deals/related";
import { actorOf, authOf, tenantOf } from "../../context";
import { parseRecordId, timelineProps } from "../../record-helpers";
import { addInteractionRoute } from "../interactions";
import { addNoteRoute } from "../notes";
import { confirmationPage } from "../shared/delete-routes";
import { withUndo } from "../shared/trash-undo";
import { trashedContact, trashItemIdOf } from "../../../services/trash/items";
import { TrashedRow } from "../../../../views/pages/trash/TrashPage";
import { readRecordWithDeals } from "../shared/record-page";
import { ContactDeletePage, ContactErasePage, ContactPage } from "../../../../views/pages/contacts/ContactPage";
import { LIST_PATH } from "./list-parts";

/** The record's routes, mounted with the others at /app/contacts (src/routes/app/contacts/index.ts). */
export const contactRecordRoutes = new Hono<AppEnv>();

contactRecordRoutes.get("/:id", deferSessionCheck, async (c) => {
  const id = parseRecordId(c.req.param("id"));
  // The contact, its tags, fields, values, notes, activity and deals: one round trip.
  const read = await readRecordWithDeals(c, id, contactPageStatements, contactDealsStatements);
  if (!read.ok) return read.response;
  const auth = authOf(c);
  const found = id === null ? null : contactPageFromResults(id, read.page);
  if (!found) return errorResponse(c, 404);
  const { timeline } = found;
  const k = found.contact;
  return render(
    c,
    k.name,
    <ContactPage
      contact={{
        id: k.id,
        name: k.name,
        firstName: k.firstName,
        lastName: k.lastName,
        jobTitle: k.jobTitle,
        companyId: k.companyId,
        companyName: k.companyName,
        address: k.address,
        emails: k.emails,
        phones: k.phones.map((e164) => ({ e164, display: formatPhone(e164) })),
        owner: k.ownerId ? (k.ownerEmail ?? "former member") : null,
        createdAt: k.createdAt,
        updatedAt: k.updatedAt,
      }}
      tags={found.tags}
      fields={found.customFields}
      values={found.values}
      deals={relatedDealsFromResults(read.deals, auth.user.locale)}
      canWrite={roleAtLeast(auth.role, "member")}
      canErase={roleAtLeast(auth.role, "admin")}
      timeline={timelineProps(auth, { type: "contact", id: k.id }, { ...timeline, fields: found.customFields })}
    />,
  );
});

// ---- delete -------------------------------------------------------------------------------------------

async function removeContact(c: Context<AppEnv>): Promise<number | null> {
  const id = parseRecordId(c.req.param("id"));
  if (id === null || (await deleteContacts(tenantOf(c), actorOf(c), [id], { bulk: false })) === 0) return null;
  return id;
}

// htmx: from a list row (hx-target is the row) the row becomes a line with its Undo; from the contact's
// page, htmx follows HX-Redirect to the list, which shows the Undo. No confirm: the trash is the way back.
contactRecordRoutes.delete("/:id", requireRole("member"), async (c) => {
  const id = await removeContact(c);
  if (id === null) return errorResponse(c, 404);
  const item = await trashItemIdOf(tenantOf(c), "contact", id);
  const target = c.req.header("HX-Target");
  if (c.req.header("HX-Request") === "true" && target !== `contact-${id}`) {
    c.header("HX-Redirect", await withUndo(c, `${LIST_PATH}?notice=deleted`, "contact", id));
    return c.html("", 200);
  }
  return c.html(item === null ? "" : <TrashedRow rowId={`contact-${id}`} itemId={item} />, 200);
});

// Without JavaScript: a page saying it goes to the trash, then a form post.
contactRecordRoutes.get(
  "/:id/delete",
  requireRole("member"),
  confirmationPage("Delete", getContact, (contact) => (
    <ContactDeletePage contact={{ id: contact.id, name: contact.name }} />
  )),
);

contactRecordRoutes.post("/:id/delete", requireRole("member"), async (c) => {
  const id = await removeContact(c);
  if (id === null) return errorResponse(c, 404);
  return c.redirect(await withUndo(c, `${LIST_PATH}?notice=deleted`, "contact", id), 303);
});

// ---- erase (a privacy request; admins and owners) ---------------------------------------------------------

contactRecordRoutes.get(
  "/:id/erase",
  requireRole("admin"),
  // A contact already in the trash is erased from there: the page names them as the trash does.
  confirmationPage(
    "Erase",
    async (t, id) => {
      const live = await getContact(t, id);
      if (live) return { id: live.id, name: live.name, inTrash: false };
      const trashed = await trashedContact(t, id);
      return trashed ? { ...trashed, inTrash: true } : null;
    },
    (contact, c) => (
      <ContactErasePage
        contact={{ id: contact.id, name: contact.name }}
        canSuppress={!!c.env.SUPPRESSION_KEY}
        inTrash={contact.inTrash}
      />
    ),
  ),
);

contactRecordRoutes.post("/:id/erase", requireRole("admin"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  if (id === null) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const erase = { suppressKey: body.suppress === "1" ? c.env.SUPPRESSION_KEY || undefined : undefined };
  const erased = await deleteContacts(tenantOf(c), actorOf(c), [id], { bulk: false, erase });
  if (erased === 0) return errorResponse(c, 404);
  // Erased from the trash's Erase: back to the trash.
  return c.redirect(body.back === "trash" ? "/app/trash?notice=erased" : `${LIST_PATH}?notice=erased`, 303);
});

contactRecordRoutes.post("/:id/notes", requireRole("member"), addNoteRoute("contact"));
contactRecordRoutes.post("/:id/interactions", requireRole("member"), addInteractionRoute("contact"));
