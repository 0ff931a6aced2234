/** Reading the server-drawn charts of the dashboard and the reports page, as a test sees them. */
import { expect } from "vitest";

/** The markup of the chart figure `id`. */
export function chart(html: string, id: string): string {
  const start = html.indexOf(`<figure class="chart" id="${id}"`);
  expect(start, `${id} on the page`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf("</figure>", start));
}

/** The chart's own table (inside its <details>): each row's header and cells. */
export const tableOf = (figure: string) =>
  [...(figure.split("<tbody>")[1] ?? "").matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1]!),
  );
