// @mentions in note boxes: typing "@" and a few letters offers the workspace's members (fetched once per
// page from the textarea's data-mention-source); arrows move, Enter or Tab picks, Escape closes. The pick
// is written as @[Name](user:<id>), which the server reads. Without this script "@name" is plain text.
(() => {
  const QUERY = /(^|\s)@([^\s@[\]()]{0,30})$/;
  const MAX_SHOWN = 8;
  const members = new Map(); // source URL → Promise of [{ id, name, email }]
  let open = null; // { textarea, list, status, items, active, start }

  function load(url) {
    if (!members.has(url)) {
      members.set(
        url,
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then((r) => (r.ok ? r.json() : []))
          .catch(() => []),
      );
    }
    return members.get(url);
  }

  function parts(textarea) {
    const id = textarea.id || "note-body";
    let list = document.getElementById(`${id}-mentions`);
    let status = document.getElementById(`${id}-mentions-status`);
    if (!list) {
      list = document.createElement("ul");
      list.id = `${id}-mentions`;
      list.className = "mention-options";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "Members to mention");
      list.hidden = true;
      status = document.createElement("p");
      status.id = `${id}-mentions-status`;
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      textarea.after(list, status);
      textarea.setAttribute("aria-controls", list.id);
      textarea.setAttribute("aria-autocomplete", "list");
    }
    return { list, status };
  }

  function close() {
    if (!open) return;
    open.list.hidden = true;
    open.list.replaceChildren();
    open.textarea.removeAttribute("aria-activedescendant");
    open = null;
  }

  function highlight(index) {
    if (!open) return;
    open.active = (index + open.items.length) % open.items.length;
    open.list.querySelectorAll("[role=option]").forEach((li, i) => {
      li.setAttribute("aria-selected", String(i === open.active));
    });
    open.textarea.setAttribute("aria-activedescendant", `${open.list.id}-${open.active}`);
  }

  function pick(index) {
    if (!open) return;
    const member = open.items[index];
    const { textarea, start } = open;
    const end = textarea.selectionStart;
    const name = member.name.replace(/[[\]\n]/g, " ").slice(0, 100);
    const mention = `@[${name}](user:${member.id}) `;
    textarea.value = textarea.value.slice(0, start) + mention + textarea.value.slice(end);
    const caret = start + mention.length;
    textarea.setSelectionRange(caret, caret);
    close();
    textarea.focus();
  }

  async function suggest(textarea) {
    const caret = textarea.selectionStart;
    const match = QUERY.exec(textarea.value.slice(0, caret));
    if (!match || textarea.selectionEnd !== caret) return close();
    const query = match[2].toLowerCase();
    const all = await load(textarea.dataset.mentionSource);
    const items = all
      .filter((m) => m.name.toLowerCase().includes(query) || m.email.toLowerCase().startsWith(query))
      .slice(0, MAX_SHOWN);
    const { list, status } = parts(textarea);
    if (items.length === 0) {
      close();
      status.textContent = "No member matches.";
      return;
    }
    list.replaceChildren(
      ...items.map((m, i) => {
        const li = document.createElement("li");
        li.id = `${list.id}-${i}`;
        li.setAttribute("role", "option");
        li.textContent = m.name === m.email ? m.name : `${m.name} (${m.email})`;
        li.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keep focus in the textarea
          pick(i);
        });
        return li;
      }),
    );
    list.hidden = false;
    open = { textarea, list, status, items, active: 0, start: caret - match[2].length - 1 };
    highlight(0);
    status.textContent = `${items.length} ${items.length === 1 ? "member matches" : "members match"}. Arrow keys to move, Enter to mention.`;
  }

  document.addEventListener("input", (event) => {
    const textarea = event.target;
    if (textarea instanceof HTMLTextAreaElement && textarea.dataset.mentionSource) suggest(textarea);
  });
  document.addEventListener("keydown", (event) => {
    if (!open || event.target !== open.textarea) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(open.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      pick(open.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  document.addEventListener("focusout", (event) => {
    if (open && event.target === open.textarea) close();
  });
})();
