// Every page of the app on a small phone (360 px, dark theme) and again on a small tablet (700 px, light theme): none
// is wider than the screen, and none has a column without a name, a table caption squeezed to a word a line, a
// number in a stacked table without its column's name, a field too small to tap, a search box too narrow to read, a
// record's value below its label, text under WCAG's contrast or a control without a name, nor two controls drawn
// over each other, nor a disclosure opening off the screen. The pages are found as a user finds them, by following
// the app's own links from the dashboard, and a visitor's from the home page (one page per path shape, its ids as
// :id), so a new page is checked once something links to it. Billing's usage list once pushed its values 36 px off
// the screen.
import assert from "node:assert/strict";
import {
  WAIT_MS,
  appPost,
  assertNoProblems,
  confirmEmailFromMail,
  openNewAccountPage,
  openPage,
  uniqueEmail,
} from "./helpers.mjs";

const WIDTH = 360;
const TABLET_WIDTH = 700;
const MAX_PAGES = 80;

/** A path's shape: numbers and long ids as :id, so one record's page stands for all. */
const shapeOf = (path) => path.replace(/\/(\d+|[a-z0-9]{20,})(?=\/|$)/g, "/:id");

/**
 * Follows the links from `start` (under /app or outside it, as `inApp` says) at WIDTH in the dark theme, one page
 * per path shape; returns the pages wider than the screen, with a nameless column, a squeezed caption or a field too
 * small to tap, and how many pages were seen.
 */
async function pageFaults(page, baseUrl, starts, inApp, width = WIDTH, colorScheme = "dark", maxPages = MAX_PAGES) {
  await page.setViewportSize({ width, height: 740 });
  await page.emulateMedia({ colorScheme });
  const queue = [...starts];
  const seen = new Set(queue.map(shapeOf));
  const faults = [];
  let visited = 0;
  while (queue.length > 0 && visited < maxPages) {
    const path = queue.shift();
    // A download (an export's file) is not a page: chromium refuses to show it.
    const res = await page.goto(baseUrl + path).catch((err) => {
      if (String(err).includes("Download is starting")) return null;
      throw err;
    });
    if (!res || !(res.headers()["content-type"] ?? "").startsWith("text/html")) continue;
    visited += 1;
    const found = await page.evaluate((inApp) => {
      const vw = document.documentElement.clientWidth;
      // The first elements past the screen's edge, for the message (a board scrolls inside itself).
      const past = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > vw + 1 && el.checkVisibility())
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(" ")[0]}` : ""}`);
      const links = [...document.querySelectorAll("a[href]")]
        .filter((a) => !a.hasAttribute("download"))
        .map((a) => new URL(a.href, location.href))
        .filter((u) => u.origin === location.origin && u.pathname.startsWith("/app") === inApp)
        .map((u) => u.pathname);
      // A column header with no name leaves a screen reader's cells of that column unnamed (axe's empty-table-header).
      const nameless = [...document.querySelectorAll("th")].filter(
        (th) => th.textContent.trim() === "" && !th.querySelector("[aria-label]"),
      ).length;
      // A field a finger can hit (our inputs are 2.75rem): unstyled ones (a month, a time, an input without a type)
      // were 21 px tall.
      const small = [...document.querySelectorAll("input, select, textarea")]
        .filter((el) => !["checkbox", "radio", "hidden", "range", "color", "submit"].includes(el.type))
        .filter((el) => el.checkVisibility() && el.getBoundingClientRect().height < 40)
        .map((el) => el.name || el.id);
      // A list's search box with room to read what one types: squeezed beside Search and Filters it showed "Search na".
      const cramped = [...document.querySelectorAll("main input[type=search]")]
        .filter((el) => el.checkVisibility() && el.getBoundingClientRect().width < 192)
        .map((el) => el.name || el.id);
      // Every control has a name a screen reader says (WCAG 4.1.2): a label, aria-label(ledby), its text or an image's alt.
      const unnamedControls = [...document.querySelectorAll("input, select, textarea, button, a[href], summary")]
        .filter((el) => el.type !== "hidden" && el.checkVisibility({ visibilityProperty: true }))
        .filter((el) => {
          if (el.labels?.length || el.getAttribute("aria-label")?.trim() || el.getAttribute("title")?.trim())
            return false;
          const by = el.getAttribute("aria-labelledby");
          if (by?.split(/\s+/).some((id) => document.getElementById(id)?.textContent.trim())) return false;
          if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName))
            return !["submit", "button", "reset"].includes(el.type) || !el.value.trim();
          return !el.textContent.trim() && ![...el.querySelectorAll("img[alt]")].some((img) => img.alt.trim());
        })
        .map((el) => `${el.tagName.toLowerCase()}${el.name ? ` ${el.name}` : el.id ? `#${el.id}` : ""}`);
      // A record's label level with its value: the first email and phone sat a list row's padding below "Email".
      const unlevel = [...document.querySelectorAll("dl.facts > dt + dd")]
        .filter((dd) => dd.checkVisibility() && dd.textContent.trim() !== "")
        .filter((dd) => {
          // The first line of text, not the box of the list around it.
          const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT, (n) =>
            n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP,
          );
          const range = document.createRange();
          range.selectNodeContents(walker.nextNode());
          const first = [...range.getClientRects()].find((r) => r.height > 0);
          return first && Math.abs(first.top - dd.previousElementSibling.getBoundingClientRect().top) > 2;
        })
        .map((dd) => dd.previousElementSibling.textContent.trim());
      // Text against what is behind it, as WCAG 1.4.3 asks (4.5:1, 3:1 from 18.66 px bold or 24 px): the first
      // background colour up the tree, its transparency blended over the one below. Inactive controls are exempt.
      const rgba = (c) => (c.match(/[\d.]+/g) ?? []).map(Number).concat([1]).slice(0, 4);
      const blend = (top, below) =>
        top
          .slice(0, 3)
          .map((v, i) => v * top[3] + below[i] * (1 - top[3]))
          .concat([1]);
      // Each element's once: the text of a page shares its ancestors.
      const backgrounds = new Map();
      const backgroundOf = (el) => {
        if (!el) return [255, 255, 255, 1];
        if (!backgrounds.has(el)) {
          const bg = rgba(getComputedStyle(el).backgroundColor);
          const behind = bg[3] >= 1 ? null : backgroundOf(el.parentElement);
          backgrounds.set(el, behind === null ? bg : bg[3] > 0 ? blend(bg, behind) : behind);
        }
        return backgrounds.get(el);
      };
      const luminance = (c) =>
        c
          .slice(0, 3)
          .map((v) => v / 255)
          .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
          .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
      const faint = [];
      for (const el of document.querySelectorAll("body *")) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
        if (!own || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
        if (el.closest(":disabled, [aria-disabled=true], .visually-hidden, svg, option")) continue;
        const style = getComputedStyle(el);
        const background = backgroundOf(el);
        const text = blend(rgba(style.color), background);
        const [hi, lo] = [luminance(text), luminance(background)].sort((a, b) => b - a);
        const ratio = (hi + 0.05) / (lo + 0.05);
        const size = Number.parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) faint.push(`"${el.textContent.trim().slice(0, 24)}" ${ratio.toFixed(2)}:1`);
      }
      // A table's caption as wide as its table: left a table-caption in a stacked table, it was a word a line.
      const squeezed = [...document.querySelectorAll("caption")].filter(
        // A caption hidden for the eye (visually-hidden, 1 px) is read whole by a screen reader.
        (c) =>
          c.checkVisibility() &&
          c.getBoundingClientRect().width > 1 &&
          c.getBoundingClientRect().width < c.closest("table").getBoundingClientRect().width / 2,
      ).length;
      // On a phone a table's rows stack and its header row is hidden: a number needs its column's name beside it
      // (data-label), or "40" and "0" under an import's name say nothing. The row's first cell names the row.
      const unnamed = [...document.querySelectorAll("table")]
        .filter((table) => table.checkVisibility() && getComputedStyle(table).display === "block")
        .flatMap((table) => [...table.querySelectorAll("tbody tr")].flatMap((tr) => [...tr.children].slice(1)))
        .filter(
          (cell) => cell.tagName === "TD" && !cell.hasAttribute("data-label") && !cell.querySelector("button, input"),
        )
        .filter((cell) => /^[\d$€£¥+−-]/.test(cell.textContent.trim())).length;
      // Two controls drawn over each other: a list's Search button once slid under "Filters (3 active)".
      const name = (el) =>
        `${el.tagName.toLowerCase()} "${(el.textContent || el.name || el.id || "").trim().slice(0, 20)}"`;
      // A link that wraps is two boxes (getClientRects), not the one box around both lines.
      const controls = [...document.querySelectorAll("a[href], button, input, select, textarea, summary")]
        .filter((el) => el.type !== "hidden" && el.checkVisibility({ visibilityProperty: true }))
        .map((el) => [el, [...el.getClientRects()].filter((r) => r.width > 2 && r.height > 2)]);
      const over = (ra, rb) =>
        Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 2 &&
        Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 2;
      const overlapping = [];
      for (let i = 0; i < controls.length; i++)
        for (let j = i + 1; j < controls.length; j++) {
          const [a, ras] = controls[i];
          const [b, rbs] = controls[j];
          if (a.contains(b) || b.contains(a)) continue;
          if (ras.some((ra) => rbs.some((rb) => over(ra, rb)))) overlapping.push(`${name(a)} and ${name(b)}`);
        }
      // What a disclosure opens stays on the screen: the contacts list's Columns and Views panels once opened past
      // its left edge, where nothing scrolls to.
      const offscreen = [];
      for (const d of document.querySelectorAll("details:not([open])")) {
        if (!d.checkVisibility()) continue;
        d.open = true;
        const panels = [...d.children].filter((el) => el.tagName !== "SUMMARY" && el.checkVisibility());
        if (panels.some((el) => el.getBoundingClientRect().left < -1 || el.getBoundingClientRect().right > vw + 1))
          offscreen.push(`"${(d.querySelector("summary")?.textContent ?? "").trim().slice(0, 20)}"`);
        d.open = false;
      }
      return {
        unnamedControls: unnamedControls.slice(0, 5),
        faint: faint.slice(0, 5),
        unlevel,
        cramped,
        offscreen,
        width: document.documentElement.scrollWidth,
        past,
        links,
        nameless,
        small,
        squeezed,
        unnamed,
        overlapping,
      };
    }, inApp);
    const at = `${path} (${width} px)`;
    if (found.offscreen.length > 0) faults.push(`${at}: opens past the screen's edge (${found.offscreen.join(", ")})`);
    if (found.overlapping.length > 0) faults.push(`${at}: controls over each other (${found.overlapping.join("; ")})`);
    if (found.unnamed > 0)
      faults.push(`${at}: ${found.unnamed} number(s) in a stacked table without their column's name`);
    if (found.squeezed > 0) faults.push(`${at}: ${found.squeezed} table caption(s) squeezed to a word a line`);
    if (found.unnamedControls.length > 0)
      faults.push(`${at}: controls without an accessible name (${found.unnamedControls.join(", ")})`);
    if (found.faint.length > 0) faults.push(`${at}: text under WCAG contrast (${found.faint.join(", ")})`);
    if (found.unlevel.length > 0) faults.push(`${at}: values below their labels (${found.unlevel.join(", ")})`);
    if (found.cramped.length > 0) faults.push(`${at}: search boxes under 12rem wide (${found.cramped.join(", ")})`);
    if (found.small.length > 0) faults.push(`${at}: fields under 40 px tall (${found.small.join(", ")})`);
    if (found.width > width) faults.push(`${at}: ${found.width} px (${found.past.join(", ")})`);
    if (found.nameless > 0) faults.push(`${at}: ${found.nameless} column header(s) without a name`);
    for (const link of found.links)
      if (!seen.has(shapeOf(link))) {
        seen.add(shapeOf(link));
        queue.push(link);
      }
  }
  return { faults, visited };
}

export default {
  async "every page fits a small phone: no nameless column, squeezed caption, unnamed number, field too small to tap or control over another"({
    baseUrl,
    browser,
  }) {
    const { page, problems, context, email } = await openNewAccountPage(browser, baseUrl, {
      company: "Narrow Screens Ltd",
      // A long address, as people have: the banner asking to confirm it once ran off a phone's screen.
      email: uniqueEmail("maximiliane.oberholzerwittgenstein"),
    });
    const post = async (path, form) => {
      const res = await appPost(context.request, baseUrl + path, {
        form,
        headers: { Origin: baseUrl },
        maxRedirects: 0,
      });
      assert.ok(res.status() < 400, `${path} answered ${res.status()}`);
    };
    // A record of each kind, with long words where people type them, so their pages have something to lay out.
    await post("/app/companies", { name: "Internationalisation Consultancy Partners" });
    await post("/app/contacts", {
      first_name: "Maximiliane",
      last_name: "Oberholzer-Wittgenstein",
      emails: "maximiliane.oberholzer-wittgenstein@internationalisation.example",
      job_title: "Head of Customer Relationship Management",
    });
    await post("/app/tasks", { title: "Call back about the proposal", kind: "todo", due_date: "2026-12-24" });
    // The dashboard with the banner asking to confirm the long address, then the address confirmed from its mail:
    // an API key needs it. An API key and a support grant, so their settings pages show their tables.
    const unconfirmed = await pageFaults(page, baseUrl, ["/app"], true, WIDTH, "dark", 1);
    await confirmEmailFromMail(page, baseUrl, email);
    await post("/app/settings/api", { name: "Accounting sync", scope: "read", expires: "never" });
    await post("/app/settings/support", { access: "read", duration: "1h", ticket: "" });
    // A copy of my data asked for: the privacy page lists it in a table with a caption.
    await post("/app/settings/privacy/export", {});
    // A file uploaded: the import page lists it with its counts.
    const upload = await appPost(context.request, `${baseUrl}/app/import`, {
      multipart: {
        kind: "contacts",
        encoding: "auto",
        file: {
          name: "people.csv",
          mimeType: "text/csv",
          buffer: Buffer.from("Email,First name\nana@example.com,Ana\n"),
        },
      },
      headers: { Origin: baseUrl },
      maxRedirects: 0,
    });
    assert.equal(upload.status(), 303, `the upload answered ${upload.status()}`);
    await page.goto(`${baseUrl}/app/deals/new`);
    await page.getByLabel("Name", { exact: true }).fill("Enterprise-wide rollout");
    await page.getByRole("button", { name: "Create deal" }).click();
    await page.waitForURL(/\/app\/deals\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });

    // Lists with filters applied too: their chips and "Filters (n active)" take room no link leads to.
    const filtered = ["/app/deals?owner=me&closed=1&min=1", "/app/deals/list?mine=1&status=open"];
    const app = await pageFaults(page, baseUrl, ["/app", ...filtered], true);
    assert.ok(app.visited >= 30, `only ${app.visited} pages found from the dashboard`);
    // A small tablet, just wider than the phone layout: tables are tables again, and popovers open from their
    // buttons. Three tables widened the page there and the tasks' Filters opened past the screen's left edge.
    // In the light theme, the phone's pass being in the dark one.
    const tablet = await pageFaults(page, baseUrl, ["/app", ...filtered], true, TABLET_WIDTH, "light");
    // The public pages, as a visitor without an account finds them from the home page.
    const visitor = await openPage(browser);
    const pub = await pageFaults(visitor.page, baseUrl, ["/"], false);
    assert.ok(pub.visited >= 6, `only ${pub.visited} public pages found from the home page`);
    assert.deepEqual([...unconfirmed.faults, ...app.faults, ...tablet.faults, ...pub.faults], []);
    assertNoProblems([...problems, ...visitor.problems]);
    await visitor.context.close();
    await context.close();
  },
};
