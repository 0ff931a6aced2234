// A record picker as an ARIA combobox (the contact form's company, the deal form's company and contacts):
// the plain <select> (what works without JavaScript, the first records by name) is replaced by a text input
// whose listbox htmx fills with the matching records as one types (GET data-options?q=). Arrows move, Enter
// picks, Escape closes. An option "Create company “X”" creates it at once (POST data-options, answered with
// its id); the pick goes into a hidden input of the select's name. data-one / data-many name the records.
(() => {
  let counter = 0;

  function setup(box) {
    const select = box.querySelector("select");
    if (!select || box.dataset.ready) return;
    box.dataset.ready = "1";
    const source = box.dataset.options;
    const one = box.dataset.one ?? "company";
    const many = box.dataset.many ?? "companies";
    const hidden = Object.assign(document.createElement("input"), { type: "hidden", name: select.name });
    hidden.value = select.value;
    const input = Object.assign(document.createElement("input"), { type: "text", id: select.id, autocomplete: "off" });
    input.value = select.value ? select.selectedOptions[0].textContent.trim() : "";
    const listId = `${select.id}-listbox-${++counter}`;
    // A hint about the plain select only ("the first 500 by name") is not true of the search: it goes.
    const selectHint = box.dataset.selectHint ? document.getElementById(`${select.id}-hint`) : null;
    selectHint?.remove();
    const describedBy = (select.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter((ref) => ref && ref !== selectHint?.id)
      .join(" ");
    for (const [k, v] of Object.entries({
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      "aria-describedby": `${describedBy} ${listId}-status`.trim(),
    }))
      input.setAttribute(k, v);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
    input.placeholder = "Type to search, or leave empty";
    const list = Object.assign(document.createElement("div"), { id: listId, className: "combobox-options" });
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", many[0].toUpperCase() + many.slice(1));
    list.hidden = true;
    const status = Object.assign(document.createElement("p"), { id: `${listId}-status`, className: "visually-hidden" });
    status.setAttribute("role", "status");
    // The listbox opens under the input, whatever lays out the field around it.
    const anchor = Object.assign(document.createElement("div"), { className: "combobox-anchor" });
    anchor.append(input, list);
    select.replaceWith(hidden, anchor, status);
    // Typed text never picked would be saved as no record at all: the form stays, saying so by the field.
    const error = Object.assign(document.createElement("p"), { id: `${listId}-error`, className: "field-error" });
    error.hidden = true;
    status.after(error);
    const showError = (on) => {
      error.hidden = !on;
      error.textContent = on
        ? `Pick a ${one} from the list${box.dataset.create ? ", or create it there" : ""}, or empty the field.`
        : "";
      if (on) input.setAttribute("aria-invalid", "true");
      else if (!select.getAttribute("aria-invalid")) input.removeAttribute("aria-invalid");
      const refs = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((r) => r && r !== error.id);
      input.setAttribute("aria-describedby", [...refs, ...(on ? [error.id] : [])].join(" "));
    };
    input.form?.addEventListener(
      "submit",
      (event) => {
        if (input.value.trim() === "" || hidden.value !== "") return;
        event.preventDefault();
        event.stopImmediatePropagation(); // htmx's own submit handler too
        showError(true);
        input.focus();
      },
      true,
    );
    let active = -1;
    let timer = 0;

    const options = () => [...list.querySelectorAll('[role="option"]:not([aria-disabled="true"])')];
    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const highlight = (index) => {
      const all = options();
      if (all.length === 0) return;
      active = (index + all.length) % all.length;
      all.forEach((o, i) => {
        o.setAttribute("aria-selected", String(i === active));
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    };
    const search = () =>
      htmx
        .ajax("GET", `${source}?q=${encodeURIComponent(input.value)}`, { target: list, swap: "innerHTML" })
        .then(() => {
          const count = list.querySelectorAll("[data-id]").length;
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          active = -1;
          status.textContent = `${count} ${count === 1 ? one : many} found.`;
        });
    const pick = async (option) => {
      if (option.dataset.id) {
        hidden.value = option.dataset.id;
        input.value = option.dataset.name;
        status.textContent = `${input.value} chosen.`;
        showError(false);
      } else if (option.dataset.createName !== undefined) {
        const res = await fetch(source, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
          body: new URLSearchParams({ name: option.dataset.createName }),
          credentials: "same-origin",
        });
        const answer = await res.json().catch(() => ({ error: "The company could not be created." }));
        if (!res.ok) {
          status.textContent = answer.error ?? "The company could not be created.";
          return;
        }
        hidden.value = String(answer.id);
        input.value = answer.name;
        showError(false);
        status.textContent = `Company ${answer.name} created and chosen.`;
      }
      close();
      input.focus();
    };

    input.addEventListener("input", () => {
      hidden.value = ""; // typed text is not a company until one is picked
      if (input.value.trim() === "") showError(false);
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) search().then(() => highlight(0));
        else highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault(); // picks the option rather than submitting the form
        pick(options()[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    list.addEventListener("mousedown", (event) => {
      const option = event.target.closest('[role="option"]:not([aria-disabled="true"])');
      if (!option) return;
      event.preventDefault(); // keeps focus in the input
      pick(option);
    });
    input.addEventListener("blur", () => {
      close();
      if (input.value.trim() === "") hidden.value = "";
      else if (hidden.value === "")
        status.textContent = `Pick a ${one} from the list${box.dataset.create ? ", or create it there" : ""}.`;
    });
  }

  function enhance(root) {
    if (!root?.querySelectorAll) return;
    if (root.matches?.(".record-combobox")) setup(root);
    for (const box of root.querySelectorAll(".record-combobox")) setup(box);
  }
  enhance(document);
  document.addEventListener("htmx:load", (event) => enhance(event.target));
})();
