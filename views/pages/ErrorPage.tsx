import { waitWords } from "../lib/wait";

export interface ErrorPageProps {
  status: number;
  requestId?: string;
  retryAfterSeconds?: number;
}

const COPY: Record<number, { title: string; text: string }> = {
  400: {
    title: "That request could not be read",
    text: "Something in the request was malformed. Go back and try again.",
  },
  401: { title: "Please log in", text: "You need to be logged in to see this page." },
  403: {
    title: "Not allowed",
    text: "You do not have permission to do that. If you think you should, ask an admin of your workspace.",
  },
  404: {
    title: "Page not found",
    text: "There is nothing here. The link may be old, or the record may have been deleted.",
  },
  405: { title: "Not allowed", text: "That action is not available here." },
  413: { title: "Too large", text: "What you sent is larger than we accept. Shorten it and try again." },
  415: { title: "Not a form", text: "This address takes a form sent from our pages, not other kinds of data." },
  429: { title: "Too many requests", text: "You have tried this too often. Please wait a little and try again." },
  500: {
    title: "Something went wrong",
    text: "We could not complete that request. We have been told and will look into it.",
  },
};

/** Friendly error content: never a stack trace. */
export function ErrorPage(p: ErrorPageProps) {
  const copy = COPY[p.status] ?? (p.status >= 500 ? COPY[500]! : COPY[400]!);
  return (
    <section class="card narrow" aria-labelledby="error-heading">
      <h1 id="error-heading">{copy.title}</h1>
      <p>{copy.text}</p>
      {p.retryAfterSeconds ? <p>Try again in about {waitWords(p.retryAfterSeconds)}.</p> : null}
      {p.requestId && p.status >= 500 ? <p class="muted">Reference: {p.requestId}</p> : null}
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </section>
  );
}

/** The title for an error status, for the page's <title>. */
export function errorTitle(status: number): string {
  return (COPY[status] ?? (status >= 500 ? COPY[500]! : COPY[400]!)).title;
}
