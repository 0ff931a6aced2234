import { Field, FormAlert, TextareaField, EmailField } from "../../components/Field";

export const CONTACT_LIMITS = { name: 100, email: 254, message: 5000, messageMin: 10 } as const;

export interface ContactValues {
  name: string;
  email: string;
  message: string;
}

/** The contact form. Values are kept and errors shown beside their fields when it comes back. */
export function ContactPage(p: { values: ContactValues; errors: Record<string, string>; rateLimitedMinutes?: number }) {
  return (
    <section class="card narrow" aria-labelledby="contact-heading">
      <h1 id="contact-heading">Contact us</h1>
      <p>
        Questions, support, or a request about your personal data (a copy, a correction, deletion): write to us here and
        we will reply by email.
      </p>
      {p.rateLimitedMinutes ? (
        <FormAlert>
          <p>Too many messages from your network. Please try again in {p.rateLimitedMinutes} minutes.</p>
        </FormAlert>
      ) : null}
      {Object.keys(p.errors).length > 0 ? (
        <FormAlert>
          <p>Please correct the fields marked below.</p>
        </FormAlert>
      ) : null}
      <form class="stack" method="post" action="/contact" novalidate>
        <Field
          name="name"
          label="Name"
          autocomplete="name"
          required
          maxlength={CONTACT_LIMITS.name}
          value={p.values.name}
          error={p.errors.name}
        />
        <EmailField
          label="Email"
          maxlength={CONTACT_LIMITS.email}
          value={p.values.email}
          error={p.errors.email}
          hint="We reply to this address, and send it a short confirmation now."
        />
        <TextareaField
          id="f-message"
          name="message"
          label="Message"
          rows={8}
          required
          maxlength={CONTACT_LIMITS.message}
          value={p.values.message}
          error={p.errors.message}
        />
        {/* A honeypot: people never see or reach it; a bot that fills it is told "thank you" and nothing happens. */}
        <div class="hp-field" aria-hidden="true">
          <label for="f-contact-ref">Leave this field empty</label>
          <input id="f-contact-ref" type="text" name="contact_ref" tabindex={-1} autocomplete="off" value="" />
        </div>
        <button type="submit">Send message</button>
      </form>
      <p class="muted">
        We use what you send only to answer you. How long we keep it is on our <a href="/privacy">privacy policy</a>.
      </p>
    </section>
  );
}

/** After sending (also what a filled honeypot sees). */
export function ContactSentPage() {
  return (
    <section class="card narrow" aria-labelledby="contact-sent-heading">
      <h1 id="contact-sent-heading">Thank you, your message is on its way</h1>
      <p>We have sent a confirmation to the address you gave, and we will reply to it as soon as we can.</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}
