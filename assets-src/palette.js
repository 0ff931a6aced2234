// The command palette (issue 18): Ctrl-K / ⌘-K on every app page (app.js loads this at the first press) opens a dialog to jump to a record or a
// page, create a record, switch workspace or change the theme, all by keyboard. An ARIA combobox over a
// listbox (aria-activedescendant); a live region says how many results there are. Records come from
// /app/search?format=json; the workspaces from the account menu's /app/workspaces/menu. No inline script.
(() => {
  // Each entry with the least role its page answers (the route table, test/helpers/app-routes.ts): the palette
  // offers only what the reader's role (Layout's data-role on <main>) may open, never a page that answers 403.
  const PAGES = [
    ["Dashboard", "/app", "viewer"],
    ["Contacts", "/app/contacts", "viewer"],
    ["Companies", "/app/companies", "viewer"],
    ["Deals (board)", "/app/deals", "viewer"],
    ["Deals (list)", "/app/deals/list", "viewer"],
    ["Tasks", "/app/tasks", "viewer"],
    ["Reports", "/app/reports", "viewer"],
    ["Reminders", "/app/notifications", "viewer"],
    ["Import", "/app/import", "admin"],
    ["Export", "/app/export", "admin"],
    ["Workspaces", "/app/workspaces", "viewer"],
    ["Settings: profile", "/app/settings/profile", "viewer"],
    ["Settings: security", "/app/settings/security", "viewer"],
    ["Settings: team", "/app/settings/team", "viewer"],
    ["Settings: workspace", "/app/settings/workspace", "admin"],
    ["Settings: billing", "/app/settings/billing", "owner"],
    ["Settings: tags", "/app/settings/tags", "admin"],
    ["Settings: custom fields", "/app/settings/fields", "admin"],
    ["Settings: pipelines", "/app/settings/pipelines", "admin"],
    ["Settings: privacy", "/app/settings/privacy", "viewer"],
    ["Settings: audit trail", "/app/settings/audit", "admin"],
    ["Settings: support access", "/app/settings/support", "admin"],
  ].map(([label, href, least]) => ({ label, kind: "Page", href, least }));
  const CREATE = [
    ["Create contact", "/app/contacts/new"],
    ["Create company", "/app/companies/new"],
    ["Create deal", "/app/deals/new"],
    ["Create task", "/app/tasks/new"],
  ].map(([label, href]) => ({ label, kind: "Action", href, least: "member" }));
  const RANK = { viewer: 0, member: 1, admin: 2, owner: 3 };
  /** Whether the page's reader may open an entry; an unknown role gets only what every role may. */
  const allowed = (item) => (RANK[document.getElementById("main")?.dataset.role] ?? 0) >= RANK[item.least ?? "viewer"];
  const KINDS = { contacts: "Contact", companies: "Company", deals: "Deal", tasks: "Task" };

  let dialog = null;
  let input = null;
  let list = null;
  let status = null;
  let items = [];
  let active = -1;
  let returnFocus = null;
  let workspaces = null; // fetched the first time the palette opens
  let records = [];
  let searchTimer = 0;
  let searchSeq = 0;

  /** Only on app pages with the header's search (signed in, an open workspace). */
  const onAppPage = () => document.getElementById("global-q") !== null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "palette";
    dialog.setAttribute("aria-labelledby", "palette-title");
    dialog.innerHTML =
      '<h2 id="palette-title" class="visually-hidden">Command palette</h2>' +
      '<label for="palette-input" class="visually-hidden">Go to a record or page, or run an action</label>' +
      '<input id="palette-input" type="text" role="combobox" autocomplete="off" spellcheck="false" ' +
      'aria-autocomplete="list" aria-expanded="true" aria-controls="palette-list" ' +
      'placeholder="Search records, pages and actions">' +
      '<ul id="palette-list" role="listbox" aria-label="Results"></ul>' +
      '<p id="palette-status" class="visually-hidden" role="status" aria-live="polite"></p>' +
      '<p class="palette-hint muted" aria-hidden="true">↑ ↓ to move · Enter to open · Esc to close</p>';
    input = dialog.querySelector("#palette-input");
    list = dialog.querySelector("#palette-list");
    status = dialog.querySelector("#palette-status");
    input.addEventListener("input", () => {
      render();
      scheduleSearch();
    });
    input.addEventListener("keydown", onKey);
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the box
    list.addEventListener("click", (event) => {
      const option = event.target.closest?.("[role='option']");
      if (option) run(items[Number(option.dataset.index)]);
    });
    dialog.addEventListener("close", () => {
      const back = returnFocus;
      returnFocus = null;
      if (back && document.contains(back)) back.focus();
    });
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
  }

  function open() {
    // A boosted navigation replaces the body, and the dialog with it: build it again when gone.
    if (!dialog || !document.body.contains(dialog)) {
      build();
      document.body.appendChild(dialog);
    }
    if (dialog.open) return;
    returnFocus = document.activeElement;
    input.value = "";
    records = [];
    dialog.showModal();
    input.focus();
    render();
    loadWorkspaces();
  }

  function close() {
    if (dialog?.open) dialog.close();
  }

  function themeAction() {
    const current = document.documentElement.dataset.theme;
    const dark =
      current === "dark" || (current !== "light" && window.matchMedia?.("(prefers-color-scheme: dark)").matches);
    const next = dark ? "light" : "dark";
    return { label: `Switch to the ${next} theme`, kind: "Action", theme: next };
  }

  function loadWorkspaces() {
    if (workspaces) return;
    workspaces = [];
    fetch("/app/workspaces/menu", { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then((res) => (res.ok ? res.text() : ""))
      .then((html) => {
        const doc = new DOMParser().parseFromString(html, "text/html");
        for (const form of doc.querySelectorAll("form[action='/app/workspaces/switch']")) {
          const name = form.textContent.trim();
          const fields = [...form.querySelectorAll("input[type='hidden']")].map((i) => [i.name, i.value]);
          workspaces.push({ label: `Switch workspace: ${name}`, kind: "Workspace", switchFields: fields });
        }
        if (dialog?.open) render();
      })
      .catch(() => {});
  }

  function scheduleSearch() {
    clearTimeout(searchTimer);
    const q = input.value.trim();
    if (q.length < 2) {
      records = [];
      return;
    }
    searchTimer = setTimeout(() => {
      const seq = ++searchSeq;
      fetch(`/app/search?format=json&q=${encodeURIComponent(q)}`, { credentials: "same-origin" })
        .then((res) => (res.ok ? res.json() : null))
        .then((found) => {
          if (!found || seq !== searchSeq || !dialog.open) return;
          records = [];
          for (const key of Object.keys(KINDS)) {
            for (const hit of found[key] ?? []) {
              records.push({ label: hit.name, detail: hit.detail, kind: KINDS[key], href: hit.href });
            }
          }
          render();
        })
        .catch(() => {});
    }, 150);
  }

  function render() {
    const q = input.value.trim().toLowerCase();
    const matches = (item) => !q || item.label.toLowerCase().includes(q) || item.kind.toLowerCase().includes(q);
    const commands = [...CREATE, themeAction(), ...(workspaces ?? []), ...PAGES].filter(
      (item) => allowed(item) && matches(item),
    );
    items = q.length >= 2 ? [...records, ...commands] : commands;
    list.replaceChildren(
      ...items.map((item, index) => {
        const li = document.createElement("li");
        li.id = `palette-option-${index}`;
        li.setAttribute("role", "option");
        li.dataset.index = String(index);
        const label = document.createElement("span");
        label.textContent = item.label;
        const kind = document.createElement("span");
        kind.className = "palette-kind muted";
        kind.textContent = item.detail ? ` ${item.kind} · ${item.detail}` : ` ${item.kind}`;
        li.append(label, kind);
        return li;
      }),
    );
    setActive(items.length ? 0 : -1);
    status.textContent = items.length === 1 ? "1 result" : `${items.length} results`;
  }

  function setActive(index) {
    const options = list.querySelectorAll("[role='option']");
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    for (const o of options) if (o.id !== `palette-option-${index}`) o.setAttribute("aria-selected", "false");
    if (index < 0 || !options[index]) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    options[index].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function onKey(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!items.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + items.length) % items.length);
    } else if (event.key === "Home" && event.ctrlKey) {
      event.preventDefault();
      setActive(items.length ? 0 : -1);
    } else if (event.key === "End" && event.ctrlKey) {
      event.preventDefault();
      setActive(items.length - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0) run(items[active]);
    }
  }

  /** A form posted as a whole page (the server answers with a redirect), never through htmx. */
  function post(action, fields) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = action;
    form.hidden = true;
    for (const [name, value] of fields) {
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      field.value = value;
      form.appendChild(field);
    }
    document.body.appendChild(form);
    form.submit();
  }

  function run(item) {
    if (!item) return;
    if (item.href) {
      returnFocus = null;
      close();
      window.location.assign(item.href);
    } else if (item.theme) {
      post("/preferences/theme", [
        ["theme", item.theme],
        ["back", window.location.pathname + window.location.search],
      ]);
    } else if (item.switchFields) {
      post("/app/workspaces/switch", item.switchFields);
    }
  }

  // app.js loaded this script at the first Ctrl-K and calls this for that press and every later one.
  window.ctPalette = {
    toggle() {
      if (!onAppPage()) return;
      if (dialog?.open) close();
      else open();
    },
  };
})();
