/** The API reference, rendered on the server from the OpenAPI document (src/routes/api/docs.tsx). */
import { TableHead } from "../../components/TableHead";

export interface ApiOperation {
  method: string;
  path: string;
  summary: string;
  description: string | null;
  parameters: { name: string; in: string; description: string | null; required: boolean }[];
  /** The request body's schema and the success answer's, by name (see ApiSchema). */
  body: string | null;
  answer: string | null;
  responses: { status: string; description: string }[];
}

/** A named schema of the document: its fields with their types in words, required or not, and notes. */
export interface ApiSchema {
  name: string;
  description: string | null;
  fields: { name: string; type: string; ref: string | null; required: boolean; notes: string }[];
}

/** A webhook event of the document: when it is sent, what its `data` holds and the schema of its fields. */
export interface ApiWebhook {
  name: string;
  when: string;
  data: string;
  schema: string | null;
}

export interface ApiDocsPageProps {
  /** This deployment's origin, so the curl sample runs as it is. */
  origin: string;
  operations: ApiOperation[];
  schemas: ApiSchema[];
  webhooks: ApiWebhook[];
  problems: { code: string; status: number; title: string }[];
}

/** The document's descriptions are CommonMark: their `code` spans shown as code (text escaped by JSX), nothing else. */
function Prose(p: { text: string }) {
  return <>{p.text.split("`").map((part, i) => (i % 2 === 1 ? <code>{part}</code> : part))}</>;
}

const SchemaLink = (p: { name: string }) => (
  <a href={`#schema-${p.name}`}>
    <code>{p.name}</code>
  </a>
);

/** A field's type in words, the schema it names linked: "array of Company". */
function TypeText(p: { type: string; schema: string | null }) {
  if (!p.schema || !p.type.includes(p.schema)) return <>{p.type}</>;
  const [before, ...after] = p.type.split(p.schema);
  return (
    <>
      {before}
      <SchemaLink name={p.schema} />
      {after.join(p.schema)}
    </>
  );
}

function Schema(p: { schema: ApiSchema }) {
  const s = p.schema;
  return (
    <section class="card" id={`schema-${s.name}`} aria-labelledby={`schema-${s.name}-h`}>
      <h3 id={`schema-${s.name}-h`}>
        <code>{s.name}</code>
      </h3>
      {s.description ? (
        <p>
          <Prose text={s.description} />
        </p>
      ) : null}
      <table>
        <TableHead columns={["Field", "Type", "Notes"]} />
        <tbody>
          {s.fields.map((f) => (
            <tr>
              <td data-label="Field">
                <code>{f.name}</code>
                {f.required ? <span class="muted"> (required)</span> : null}
              </td>
              <td data-label="Type">
                <TypeText type={f.type} schema={f.ref} />
              </td>
              <td data-label={f.notes ? "Notes" : undefined}>
                <Prose text={f.notes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const anchor = (op: ApiOperation) => `${op.method}-${op.path}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** Authentication, the operations, and the problem codes. */
export function ApiDocsPage(p: ApiDocsPageProps) {
  return (
    <div class="stack">
      <h1>API reference</h1>
      <p>
        The JSON API of a workspace, under <code>/api/v1</code>. The machine-readable description is{" "}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
      </p>
      <section class="card" aria-labelledby="auth">
        <h2 id="auth">Authentication</h2>
        <p>
          An admin makes a key in Settings → API and copies it once. Send it with every request as{" "}
          <code>Authorization: Bearer ct_live_…</code>. A read-only key may only <code>GET</code>. Cookies are never
          read: a browser's session grants nothing here, and a key grants nothing in the app.
        </p>
        {/* It scrolls sideways on a phone: focusable, so a keyboard can scroll it too. */}
        <pre tabindex={0} role="region" aria-label="Example request">
          <code>{`curl -H "Authorization: Bearer $CT_KEY" ${p.origin}/api/v1/contacts?limit=2`}</code>
        </pre>
        <p>
          Times are ISO 8601 in UTC. Lists are paged by keyset: pass <code>next_cursor</code> as <code>cursor</code>{" "}
          until it is <code>null</code>.
        </p>
      </section>
      <nav aria-label="Operations" class="card">
        <h2>Operations</h2>
        <ul>
          {p.operations.map((op) => (
            <li>
              <a href={`#${anchor(op)}`}>
                <code>
                  {op.method.toUpperCase()} {op.path}
                </code>
              </a>{" "}
              {op.summary}
            </li>
          ))}
        </ul>
      </nav>
      {p.operations.map((op) => (
        <section class="card" id={anchor(op)} aria-label={`${op.method.toUpperCase()} ${op.path}`}>
          <h2>
            <code>
              {op.method.toUpperCase()} {op.path}
            </code>
          </h2>
          <p>{op.summary}</p>
          {op.description ? (
            <p>
              <Prose text={op.description} />
            </p>
          ) : null}
          {op.parameters.length ? (
            <>
              <h3>Parameters</h3>
              <ul>
                {op.parameters.map((param) => (
                  <li>
                    <code>{param.name}</code> ({param.in}
                    {param.required ? ", required" : ""}){param.description ? ": " : ""}
                    {param.description ? <Prose text={param.description} /> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {op.body ? (
            <p>
              Body (application/json): <SchemaLink name={op.body} />
            </p>
          ) : null}
          {op.answer ? (
            <p>
              Answers: <SchemaLink name={op.answer} />
            </p>
          ) : null}
          <h3>Responses</h3>
          <ul>
            {op.responses.map((r) => (
              <li>
                <code>{r.status}</code> {r.description}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <section class="card" id="webhooks" aria-labelledby="webhooks-h">
        <h2 id="webhooks-h">Webhook events</h2>
        <p>
          An admin adds an endpoint in Settings → Webhooks with the events it wants. Each event is POSTed to it as{" "}
          <code>{'{"type", "timestamp", "data"}'}</code>, signed per Standard Webhooks (<code>webhook-id</code>,{" "}
          <code>webhook-timestamp</code>, <code>webhook-signature</code>): verify the signature with the endpoint's
          secret before trusting the body. Any 2xx within 15 s acknowledges it; anything else is retried with backoff
          for three days, so the same <code>webhook-id</code> can arrive twice. <code>data</code> uses the API's field
          names.
        </p>
        <table>
          <TableHead columns={["Event", "Sent when", "data"]} />
          <tbody>
            {p.webhooks.map((w) => (
              <tr id={`event-${w.name}`}>
                <td data-label="Event">
                  <code>{w.name}</code>
                </td>
                <td data-label="Sent when">
                  <Prose text={w.when} />
                </td>
                <td data-label="data">
                  <Prose text={w.data} />
                  {w.schema ? (
                    <>
                      {" "}
                      <SchemaLink name={w.schema} />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="stack" aria-labelledby="schemas">
        <h2 id="schemas">Schemas</h2>
        <p>
          The bodies the operations take and answer, and the webhook events' <code>data</code> (the{" "}
          <code>Webhook…</code> schemas). Lists answer <code>{"{ data, next_cursor }"}</code>; amounts are in minor
          units with their currency; times are ISO 8601 in UTC.
        </p>
        {p.schemas.map((schema) => (
          <Schema schema={schema} />
        ))}
      </section>
      <section class="card" aria-labelledby="problems">
        <h2 id="problems">Errors</h2>
        <p>
          Every error is <code>application/problem+json</code> (RFC 9457) with a stable <code>code</code>; a validation
          error lists each field in <code>errors</code>.
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">code</th>
              <th scope="col">status</th>
              <th scope="col">meaning</th>
            </tr>
          </thead>
          <tbody>
            {p.problems.map((x) => (
              <tr id={`problem-${x.code}`}>
                <td>
                  <code>{x.code}</code>
                </td>
                <td>{x.status}</td>
                <td>{x.title}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
