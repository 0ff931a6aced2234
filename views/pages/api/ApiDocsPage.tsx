/** The API reference, rendered on the server from the OpenAPI document (src/routes/api/docs.tsx). */

export interface ApiOperation {
  method: string;
  path: string;
  summary: string;
  description: string | null;
  parameters: { name: string; in: string; description: string | null; required: boolean }[];
  body: string | null;
  responses: { status: string; description: string }[];
}

export interface ApiDocsPageProps {
  operations: ApiOperation[];
  problems: { code: string; status: number; title: string }[];
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
        <pre>
          <code>{'curl -H "Authorization: Bearer $CT_KEY" https://<your host>/api/v1/contacts?limit=2'}</code>
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
          {op.description ? <p>{op.description}</p> : null}
          {op.parameters.length ? (
            <>
              <h3>Parameters</h3>
              <ul>
                {op.parameters.map((param) => (
                  <li>
                    <code>{param.name}</code> ({param.in}
                    {param.required ? ", required" : ""}){param.description ? `: ${param.description}` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {op.body ? (
            <p>
              Body: <code>{op.body}</code> (application/json)
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
