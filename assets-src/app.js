// CustomerTrackr's own small behaviours. No inline scripts anywhere: the CSP forbids them.

// Single-key shortcuts (/, n, t, x, ?) can be turned off, per browser, from the shortcut sheet (WCAG 2.1.4: a
// speech-input user's stray "n" opened a new contact's form).
const SHORTCUTS_KEY = "ct-single-key-shortcuts";
function singleKeysOff() {
  try {
    return localStorage.getItem(SHORTCUTS_KEY) === "off";
  } catch {
    return false;
  }
}
document.addEventListener("change", (event) => {
  if (!event.target?.matches?.("[data-single-key-shortcuts]")) return;
  try {
    if (event.target.checked) localStorage.removeItem(SHORTCUTS_KEY);
    else localStorage.setItem(SHORTCUTS_KEY, "off");
  } catch {}
});
(() => {
  const nonce = document.currentScript?.nonce ?? "";

  // The deal board's scripts (SortableJS, then board.js) load only where a board the user may change
  // is shown, in order, once per page (a boosted navigation keeps <head>, so a script loaded stays loaded).
  function loadBoardScripts(root) {
    if (!root?.querySelector) return;
    const board = root.matches?.("[data-scripts]") ? root : root.querySelector("[data-scripts]");
    if (!board) return;
    let urls = [];
    try {
      urls = JSON.parse(board.dataset.scripts);
    } catch {
      return;
    }
    const next = (i) => {
      if (i >= urls.length) return;
      if (document.querySelector(`script[src="${urls[i]}"]`)) return next(i + 1);
      const script = document.createElement("script");
      script.src = urls[i];
      script.nonce = nonce;
      script.onload = () => next(i + 1);
      document.head.appendChild(script);
    };
    next(0);
  }
  loadBoardScripts(document);
  document.addEventListener("htmx:load", (event) => loadBoardScripts(event.target));

  // The command palette: Ctrl-K / ⌘-K loads assets-src/palette.js the first time (from <meta name=palette-src>,
  // signed-in pages only), then opens or closes it. Only where the header's search is (an open workspace).
  let paletteLoading = false;
  document.addEventListener("keydown", (event) => {
    if (event.key.toLowerCase() !== "k" || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const src = document.querySelector('meta[name="palette-src"]')?.content;
    if (!src || !document.getElementById("global-q")) return;
    event.preventDefault();
    if (window.ctPalette) return window.ctPalette.toggle();
    if (paletteLoading) return;
    paletteLoading = true;
    const script = document.createElement("script");
    script.src = src;
    script.nonce = nonce;
    script.onload = () => window.ctPalette?.toggle();
    script.onerror = () => {
      paletteLoading = false;
    };
    document.head.appendChild(script);
  });

  // A form that failed validation (swapped in by htmx, or come back as a page with a 4xx): move focus to its
  // first invalid field (or to the form's alert) so keyboard and screen-reader users land on the message.
  function focusProblem(target) {
    if (!target?.querySelector) return;
    const invalid = target.querySelector("[aria-invalid='true']");
    if (invalid) {
      invalid.focus();
      return;
    }
    // A form-level message (a failed login, a rate limit): focus it so it is read out first.
    const alert = target.querySelector("[role='alert']");
    if (alert && target.querySelector("form")) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    }
  }
  document.addEventListener("htmx:afterSettle", (event) => focusProblem(event.detail?.elt));
  // The server marks a page that answers with a 4xx (Layout's data-has-errors): Safari and Firefox do not expose
  // the navigation's responseStatus, which Chromium's is kept as a second sign of.
  const main = document.getElementById("main");
  if (main?.hasAttribute("data-has-errors") || performance.getEntriesByType?.("navigation")[0]?.responseStatus >= 400)
    focusProblem(main);
})();

// ---- contacts: keyboard shortcuts and bulk selection ------------------------------------------
// The contacts pages carry a <dialog id="shortcut-sheet">; while one is on the page, "/" focuses the
// search box, "n" opens the new-contact form and "?" shows the sheet. Keys typed into a field, or
// pressed with Ctrl, Alt or Meta, are left alone.
(() => {
  function isTyping(el) {
    if (!el?.tagName) return false;
    if (el.isContentEditable) return true;
    const tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    const type = (el.getAttribute("type") || "text").toLowerCase();
    return ["checkbox", "radio", "button", "submit", "reset", "image", "file", "color", "range"].indexOf(type) === -1;
  }

  function openSheet(sheet) {
    const box = sheet?.querySelector("[data-single-key-shortcuts]");
    if (box) box.checked = !singleKeysOff();
    if (sheet && !sheet.open && typeof sheet.showModal === "function") sheet.showModal();
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (isTyping(event.target) || singleKeysOff()) return;
    const sheet = document.getElementById("shortcut-sheet");
    if (!sheet || sheet.open) return;
    if (event.key === "/") {
      const search = document.querySelector("[data-shortcut='search']");
      if (!search) return;
      event.preventDefault();
      search.focus();
      if (typeof search.select === "function") search.select();
    } else if (event.key === "n") {
      const create = document.querySelector("a[data-shortcut='new']");
      if (!create) return;
      event.preventDefault();
      create.click();
    } else if (event.key === "?") {
      event.preventDefault();
      openSheet(sheet);
    }
  });

  // Controls that only work with this script are rendered hidden; show them once it runs.
  function reveal(root) {
    if (!root?.querySelectorAll) return;
    const hidden = root.querySelectorAll("[data-select-all][hidden], [data-shortcut-sheet][hidden]");
    for (let i = 0; i < hidden.length; i++) hidden[i].hidden = false;
  }
  reveal(document);
  document.addEventListener("htmx:load", (event) => {
    reveal(event.target);
  });

  document.addEventListener("click", (event) => {
    const button = event.target?.closest ? event.target.closest("[data-shortcut-sheet]") : null;
    if (button) openSheet(document.getElementById("shortcut-sheet"));
  });

  // The deal form: choosing a pipeline picks that pipeline's first stage (the stage list groups stages
  // by pipeline; without this script a stage of another pipeline is refused by the server).
  document.addEventListener("change", (event) => {
    const pipeline = event.target;
    if (!pipeline?.matches?.(".deal-form select[name='pipeline_id']")) return;
    const stage = pipeline.form?.querySelector("select[name='stage_id']");
    const name = pipeline.options[pipeline.selectedIndex]?.text;
    const group = stage ? [...stage.querySelectorAll("optgroup")].find((g) => g.label === name) : null;
    if (group?.querySelector("option") && group.querySelector("option:checked") === null)
      stage.value = group.querySelector("option").value;
  });

  // "Select all" ticks every row checkbox of the bulk form on this page.
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (!box?.matches) return;
    const rows = document.querySelectorAll("input[type='checkbox'][name='ids'][form='bulk-form']");
    if (box.matches("[data-select-all]")) {
      for (let i = 0; i < rows.length; i++) rows[i].checked = box.checked;
    } else if (box.matches("input[name='ids'][form='bulk-form']")) {
      const all = document.querySelector("[data-select-all]");
      if (!all) return;
      let ticked = 0;
      for (let j = 0; j < rows.length; j++) if (rows[j].checked) ticked += 1;
      all.checked = ticked === rows.length && rows.length > 0;
      all.indeterminate = ticked > 0 && ticked < rows.length;
    }
  });
})();

// ---- the header's search box ------------------------------------------------------------------
// "/" focuses it on pages without a search of their own (the contacts pages keep theirs); Escape
// closes its results, as does a click elsewhere.
(() => {
  const box = () => document.getElementById("global-q");
  const results = () => document.getElementById("global-results");
  document.addEventListener("keydown", (event) => {
    const input = box();
    if (!input) return;
    if (event.key === "Escape") {
      const list = results();
      if (list?.innerHTML && (event.target === input || list.contains(event.target))) {
        list.innerHTML = "";
        input.focus();
        event.preventDefault();
      }
      return;
    }
    if (event.key !== "/" || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (singleKeysOff()) return;
    const tag = event.target?.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target?.isContentEditable) return;
    if (document.querySelector("[data-shortcut='search']")) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  document.addEventListener("click", (event) => {
    const form = box()?.form;
    if (form && !form.contains(event.target) && results()) results().innerHTML = "";
  });
})();

// ---- the browser's time zone ---------------------------------------------------------------------
// Sign-up and log-in forms carry it, so the first times a user sees are in their own zone.
// Asked only where such a field is: a page's first Intl.DateTimeFormat loads ICU's time zone data, the longest
// task of every page's start-up on a phone when it ran on all of them (docs/benchmarks.md).
(() => {
  let zone = null;
  const browserZone = () => {
    if (zone === null) {
      try {
        zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      } catch {
        zone = "";
      }
    }
    return zone;
  };
  const fill = (root) => {
    const inputs = root.querySelectorAll?.("input[data-browser-time-zone]") ?? [];
    for (const input of inputs) input.value = browserZone();
  };
  fill(document);
  document.addEventListener("htmx:load", (event) => fill(event.target));
})();

// Tasks: `t` opens the add-task form wherever a record (or the tasks page) is open; `x` completes
// the task whose row has the focus.
(() => {
  const typing = (el) =>
    el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target) || singleKeysOff()) return;
    if (event.key === "t") {
      // Adding a task is for members and up (Layout's data-role): a viewer's `t` would open a page that refuses them.
      const role = document.getElementById("main")?.dataset.role;
      if (role !== "member" && role !== "admin" && role !== "owner") return;
      // On the board, a focused card's deal gets the new task.
      const card = event.target?.closest?.("li")?.querySelector?.("a[href^='/app/deals/']");
      const deal = card && /^\/app\/deals\/(\d+)$/.exec(card.getAttribute("href"));
      if (deal && !document.querySelector("[data-task-title]")) {
        event.preventDefault();
        window.location.assign(`/app/tasks/new?record=deal:${deal[1]}`);
        return;
      }
      const title = document.querySelector("[data-task-title]");
      const create = document.querySelector("a[data-shortcut='new-task']");
      if (!title && create) {
        event.preventDefault();
        create.click();
        return;
      }
      if (!title) return;
      event.preventDefault();
      const details = title.closest("details");
      if (details) details.open = true;
      title.focus();
    } else if (event.key === "x") {
      const row = event.target?.closest?.("[data-task-row]");
      const button = row?.querySelector("[data-task-complete]");
      if (!button) return;
      event.preventDefault();
      button.click();
    }
  });
  // After an item is swapped (completed, undone), keep the focus on its button so keys go on working.
  document.addEventListener("htmx:load", (event) => {
    const item = event.target;
    if (item?.matches?.("[data-task-row]") && document.activeElement === document.body) {
      item.querySelector(".task-toggle")?.focus();
    }
  });
})();

// Charts: Escape hides the tooltip of the focused (or hovered) mark until focus or the pointer moves on
// (WCAG 1.4.13: content shown on hover or focus can be dismissed without moving).
(() => {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const mark of document.querySelectorAll(".chart-mark:focus, .chart-mark:hover")) {
      mark.classList.add("tip-dismissed");
    }
  });
  const restore = (event) => {
    const mark = event.target?.closest?.(".chart-mark");
    if (mark && !mark.contains(event.relatedTarget)) mark.classList.remove("tip-dismissed");
  };
  document.addEventListener("focusout", restore);
  document.addEventListener("mouseout", restore);
})();

// First-party usage: the seconds this app page was visible, sent with sendBeacon when the page is hidden
// or left, for the route pattern the server put in #ct-route (never the URL). No cookie, no third party.
(() => {
  const MAX_SECONDS = 3600;
  const routeNow = () => document.getElementById("ct-route")?.dataset.route ?? null;
  let route = routeNow();
  let visibleMs = 0;
  let visibleSince = document.visibilityState === "visible" ? performance.now() : null;

  function pause() {
    if (visibleSince !== null) visibleMs += performance.now() - visibleSince;
    visibleSince = null;
  }
  function send() {
    const seconds = Math.min(MAX_SECONDS, Math.round(visibleMs / 1000));
    // Under a second stays counted for the next beacon of the same page.
    if (!route || seconds < 1 || !navigator.sendBeacon) return;
    visibleMs = 0;
    navigator.sendBeacon("/app/usage/beacon", new URLSearchParams({ route, seconds: String(seconds) }));
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      pause();
      send();
    } else if (visibleSince === null) {
      visibleSince = performance.now();
    }
  });
  window.addEventListener("pagehide", () => {
    pause();
    send();
  });
  // Boosted navigation swaps the body: the time so far belongs to the page being left.
  document.addEventListener("htmx:afterSettle", () => {
    const next = routeNow();
    if (next === route) return;
    pause();
    send();
    route = next;
    visibleMs = 0;
    if (document.visibilityState === "visible") visibleSince = performance.now();
  });
})();

// The phone header's Menu: folded by CSS from the first paint; without this script its link unfolds the
// navigation (#site-nav:target). Here it becomes a button that toggles it; Escape closes it and gives the
// focus back to the button.
(() => {
  function setUp() {
    const button = document.querySelector(".menu-toggle");
    const header = button?.closest(".site-header");
    if (!button || !header || header.classList.contains("menu-ready")) return;
    header.classList.add("menu-ready");
    button.setAttribute("role", "button");
    button.setAttribute("aria-expanded", "false");
    const toggle = (event) => {
      event.preventDefault();
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      header.classList.toggle("menu-open", open);
    };
    button.addEventListener("click", toggle);
    // A link answers Enter; a button answers Space too.
    button.addEventListener("keydown", (event) => {
      if (event.key === " ") toggle(event);
    });
    header.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      button.setAttribute("aria-expanded", "false");
      header.classList.remove("menu-open");
      button.focus();
    });
  }
  setUp();
  // Boosted navigation swaps the body, header included.
  document.addEventListener("htmx:afterSettle", setUp);
})();

// The header's account menu and the lists' Filters, Views and Columns panels (each a <details> over the page):
// a click elsewhere or Escape closes it, focus back on its summary.
const POPOVERS = ".account-menu[open], .filters-popover[open], .view-menu[open], .columns-menu[open]";
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll(POPOVERS))
    if (!menu.contains(event.target)) menu.removeAttribute("open");
});
document.addEventListener("keydown", (event) => {
  const menu = event.key === "Escape" ? document.activeElement?.closest?.("details[open]") : null;
  if (!menu?.matches(POPOVERS)) return;
  menu.removeAttribute("open");
  menu.querySelector("summary")?.focus();
});

// A plain POST form with hx-confirm (a button that deletes for good, revokes, removes): htmx asks only before the
// requests it makes itself, so this asks before the browser posts one.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const question = form instanceof HTMLFormElement ? form.getAttribute("hx-confirm") : null;
    if (!question || form.matches("[hx-post], [hx-get], [hx-put], [hx-patch], [hx-delete]")) return;
    if (form.closest("[hx-boost]")?.getAttribute("hx-boost") === "true") return;
    if (!window.confirm(question)) event.preventDefault();
  },
  true,
);

// A live region must exist before its text changes: one swapped in anew each time (a list's "1–1 of 1" as the
// search box refreshes it) is not read. Its text goes to the page's own #live-announce, which stays.
function announce(event) {
  if (event.detail?.boosted || !(event.target instanceof Element)) return;
  const said = event.target.matches("[data-announce]") ? event.target : event.target.querySelector("[data-announce]");
  const region = document.getElementById("live-announce");
  if (!said || !region) return;
  region.textContent = said.textContent.replace(/\s+/g, " ").trim();
}

// A boosted navigation (the main and settings menus) swaps the page: focus its main part, so a screen reader
// reads the new page rather than nothing, as after a full load. Another swap that took focus away (the element
// focused was replaced) gives it to the new content's [data-focus-after], such as the timeline's heading.
document.addEventListener("htmx:afterSettle", (event) => {
  announce(event);
  if (document.activeElement !== document.body) return;
  if (event.detail?.boosted) return document.getElementById("main")?.focus({ preventScroll: true });
  const target = event.target instanceof Element ? event.target : null;
  const next = target?.matches("[data-focus-after]") ? target : target?.querySelector("[data-focus-after]");
  next?.focus({ preventScroll: true });
});

// The header's badges (tasks due, unread reminders): fetched once the page is shown and set as they come.
// Not htmx: its request-and-swap events for two small fragments cost each page load more script time than
// the page's own. A boosted navigation (the header's links) brings a new header: its badges are filled too.
(() => {
  function fill(el) {
    fetch(el.dataset.fill, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        if (html !== null) el.innerHTML = html;
      })
      .catch(() => {});
  }
  function fillNew(root) {
    for (const el of root.querySelectorAll?.("[data-fill]") ?? []) {
      if (el.dataset.filled) continue;
      el.dataset.filled = "1";
      fill(el);
    }
  }
  fillNew(document);
  document.addEventListener("htmx:load", (event) => fillNew(event.target));
  window.addEventListener("focus", () => {
    for (const el of document.querySelectorAll("[data-fill-on-focus]")) fill(el);
  });
})();

// "Recently viewed": a record page names itself (views/partials/RecentBeacon.tsx); the view is sent as a beacon,
// which the browser delivers even when the user moves on before it would have been answered.
(() => {
  function send(root) {
    for (const el of root.querySelectorAll?.(".recent-beacon[data-recent-id]") ?? []) {
      if (el.dataset.sent || !navigator.sendBeacon) continue;
      el.dataset.sent = "1";
      navigator.sendBeacon(
        "/app/recent",
        new URLSearchParams({ type: el.dataset.recentType, id: el.dataset.recentId }),
      );
    }
  }
  send(document);
  document.addEventListener("htmx:load", (event) => send(event.target));
})();

// The page's workspace (#ct-workspace, views/layouts/Layout.tsx) goes with every change it sends: another tab may
// have moved this browser's session to another workspace, and the server refuses a change meant for the page's
// (src/middleware/page-workspace.tsx). Plain POST forms get a field (the formdata event fires for a native submission
// and for htmx's `new FormData(form)`); GET forms none, as it would land in their URLs. htmx's other changes
// (hx-post on a GET form, hx-delete) carry it as a header.
(() => {
  const workspace = () => document.getElementById("ct-workspace")?.dataset.workspace;
  // A submit button's formmethod wins over its form's method; the submit event comes just before formdata.
  let submitter = null;
  document.addEventListener(
    "submit",
    (event) => {
      submitter = event.submitter ?? null;
      setTimeout(() => {
        submitter = null;
      });
    },
    true,
  );
  document.addEventListener("formdata", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const method =
      submitter?.form === form && submitter.hasAttribute("formmethod") ? submitter.formMethod : form.method;
    const id = workspace();
    if (method === "post" && id) event.formData.set("_workspace", id);
  });
  document.addEventListener("htmx:configRequest", (event) => {
    const id = workspace();
    if (id && event.detail.verb !== "get") event.detail.headers["X-Workspace"] = id;
  });
})();
