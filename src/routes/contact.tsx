/** /contact: the contact form (GET the form, or its thank-you with ?sent; POST a message). */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { hashIp } from "../lib/ip-hash";
import { deliverSoon } from "../lib/mail";
import { render } from "../lib/render";
import { clientIp } from "../lib/request";
import { email, formValue, formValues, parseForm, text } from "../lib/validation";
import { submitSupportMessage } from "../services/support/messages";
import { CONTACT_LIMITS, ContactPage, ContactSentPage } from "../../views/pages/public/ContactPage";

/** Mounted at /contact. */
export const contactRoutes = new Hono<AppEnv>();

const contactSchema = z.object({
  name: text("Your name", { min: 1, max: CONTACT_LIMITS.name }),
  email: email("Enter your email address, so that we can reply."),
  message: text("Your message", { min: 1, max: CONTACT_LIMITS.message }).refine(
    (s) => s.length === 0 || s.length >= CONTACT_LIMITS.messageMin,
    {
      error: `Please write a little more: at least ${CONTACT_LIMITS.messageMin} characters.`,
    },
  ),
});

contactRoutes.get("/", (c) => {
  if (c.req.query("sent") !== undefined) return render(c, "Message sent", <ContactSentPage />);
  const auth = c.get("auth");
  return render(
    c,
    "Contact us",
    <ContactPage values={{ name: "", email: auth?.user.email ?? "", message: "" }} errors={{}} />,
  );
});

contactRoutes.post("/", async (c) => {
  const body = await c.req.parseBody();
  // A filled honeypot is a bot: it gets the same answer as a person, and nothing is stored or sent.
  if (formValue(body, "contact_ref") !== "") return c.redirect("/contact?sent", 303);

  const values = formValues(body, ["name", "email", "message"]);
  const parsed = parseForm(contactSchema, body);
  if (!parsed.ok) return render(c, "Contact us", <ContactPage values={values} errors={parsed.errors} />, 422);

  const ip = clientIp(c);
  const result = await submitSupportMessage(c.get("db"), parsed.data, {
    ip,
    ipHash: await hashIp(c.env.IP_HASH_KEY, ip),
    supportEmail: c.env.SUPPORT_EMAIL?.trim() || null,
    now: Date.now(),
  });
  if (!result.ok) {
    c.header("Retry-After", String(result.retryAfter));
    return render(
      c,
      "Contact us",
      <ContactPage values={values} errors={{}} rateLimitedMinutes={Math.ceil(result.retryAfter / 60)} />,
      429,
    );
  }
  deliverSoon(c, result.mailIds);
  return c.redirect("/contact?sent", 303);
});
