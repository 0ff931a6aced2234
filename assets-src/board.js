// The deal board (views/pages/deals/BoardPage.tsx): each card gets its "Move to…" form, and each
// column is a SortableJS list, so a card moves by dragging (mouse or finger) or with the keyboard.
// Either way the move is POSTed to /app/deals/:id/move at once; the answer is the card and the
// column heads (hx-swap-oob). On failure the card goes back where it was and the error is shown.
// app.js loads this file (after SortableJS) only where a board that the user may change is shown.
(() => {
  function say(text, isError) {
    const status = document.getElementById("board-status");
    const error = document.getElementById("board-error");
    if (error) {
      error.textContent = isError ? text : "";
      error.hidden = !isError;
    }
    if (status) {
      // Emptied first, so the same words said twice are announced twice.
      status.textContent = "";
      setTimeout(() => {
        status.textContent = text;
      }, 30);
    }
  }

  function dealIdOf(card) {
    const link = card.querySelector("a[href^='/app/deals/']");
    const m = link ? /^\/app\/deals\/(\d+)$/.exec(link.getAttribute("href")) : null;
    return m ? m[1] : null;
  }

  function stagesOf(board) {
    try {
      return JSON.parse(board.dataset.stages || "[]");
    } catch {
      return [];
    }
  }

  function stageName(board, stageId) {
    const found = stagesOf(board).find((s) => String(s[0]) === String(stageId));
    return found ? found[1] : "";
  }

  /** Adds the "Move to…" form and the "+ Task" link to a card of a column (not to the Won and Lost areas or "Load more"). */
  function enhanceCard(card, board) {
    const list = card.parentElement;
    if (card.dataset.enhanced || card.classList.contains("more") || !list?.dataset.stage) return;
    const id = dealIdOf(card);
    if (!id) return;
    card.dataset.enhanced = "1";
    card.dataset.id = id;
    const name = card.querySelector("a").textContent;
    const form = document.createElement("form");
    form.className = "card-move";
    form.method = "post";
    form.action = `/app/deals/${id}/move`;
    const label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = `move-${id}`;
    label.textContent = `Move ${name} to`;
    const select = document.createElement("select");
    select.id = `move-${id}`;
    select.name = "stage_id";
    for (const [stageId, stage] of stagesOf(board)) {
      const option = document.createElement("option");
      option.value = String(stageId);
      option.textContent = stage;
      option.selected = String(stageId) === list.dataset.stage;
      select.appendChild(option);
    }
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "secondary";
    button.textContent = "Move";
    button.setAttribute("aria-label", `Move ${name}`);
    // The card's other action: a task for its deal (the new-task form, linked to it). It sits on the amount's
    // line, so the stage select keeps the width its longest name needs in a four-column board.
    const task = document.createElement("a");
    task.className = "card-task";
    task.href = `/app/tasks/new?record=deal:${id}`;
    task.textContent = "+ Task";
    task.setAttribute("aria-label", `Add a task for ${name}`);
    form.append(label, select, button);
    card.querySelector(":scope > b")?.after(task);
    card.appendChild(form);
  }

  function enhanceAll(board) {
    for (const card of board.querySelectorAll("ol[data-stage] > li")) enhanceCard(card, board);
  }

  /** Saves a move; `origin` is where the card was, to put it back if the move is refused. */
  async function save(board, card, stageId, origin, keepFocus) {
    const id = card.dataset.id;
    const name = card.querySelector("a")?.textContent ?? "The deal";
    let response;
    try {
      response = await fetch(`/app/deals/${id}/move`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
        body: `stage_id=${encodeURIComponent(stageId)}`,
      });
    } catch {
      response = null;
    }
    if (!response?.ok) {
      origin.list.insertBefore(card, origin.next && origin.next.parentElement === origin.list ? origin.next : null);
      const select = card.querySelector("select");
      if (select) select.value = origin.list.dataset.stage;
      let reason = "the connection failed";
      if (response?.status === 404) reason = "it no longer exists here; reload the board";
      else if (response?.status === 403) reason = "you may not change deals";
      else if (response?.status === 422) {
        // The server says why in a sentence of its own ("That stage is not in this pipeline.").
        const text = (await response.text()).trim().slice(0, 200);
        if (text && !text.startsWith("<")) return say(`${name} was not moved. ${text}`, true);
      }
      if (response && reason === "the connection failed") reason = `the server answered ${response.status}`;
      say(`${name} was not moved: ${reason}.`, true);
      return;
    }
    const html = await response.text();
    window.htmx.swap(card, html, { swapStyle: "outerHTML" });
    const fresh = board.querySelector(`ol[data-stage] > li > a[href="/app/deals/${id}"]`)?.parentElement ?? null;
    if (fresh) enhanceCard(fresh, board);
    if (keepFocus) board.querySelector(`#move-${id}`)?.focus();
    say(`${name} moved to ${stageName(board, stageId)}.`, false);
  }

  function moveWithForm(board, form) {
    const card = form.closest("li");
    const stageId = form.querySelector("select").value;
    const from = card.parentElement;
    if (!from || from.dataset.stage === stageId) return;
    const target = board.querySelector(`ol[data-stage="${stageId}"]`);
    if (!target) return;
    const origin = { list: from, next: card.nextElementSibling };
    // Into the target column now (before its "Load more"), so the board shows the move at once.
    target.insertBefore(card, target.querySelector(":scope > li.more"));
    save(board, card, stageId, origin, true);
  }

  function init(board) {
    if (board.dataset.boardReady) return;
    board.dataset.boardReady = "1";
    enhanceAll(board);
    board.addEventListener("submit", (event) => {
      const form = event.target;
      if (!form.matches?.(".card-move")) return;
      event.preventDefault();
      moveWithForm(board, form);
    });
    // Enter on the select moves at once (the form's button is the same action, for pointer users).
    board.addEventListener("keydown", (event) => {
      const select = event.target;
      if (event.key !== "Enter" || !select.matches?.(".card-move select")) return;
      event.preventDefault();
      moveWithForm(board, select.form);
    });
    const Sortable = window.Sortable;
    if (!Sortable) return;
    for (const list of board.querySelectorAll("ol[data-stage]")) {
      Sortable.create(list, {
        group: "deals",
        draggable: "li:not(.more)",
        filter: "select, button, option",
        preventOnFilter: false,
        animation: 120,
        // Pointer events rather than native drag and drop: the same behaviour for mouse, pen and finger,
        // and a click on the card's link stays a click until the pointer has moved a few pixels.
        forceFallback: true,
        fallbackTolerance: 4,
        onEnd(event) {
          if (event.from === event.to) return;
          const card = event.item;
          const next = event.from.children[event.oldIndex] ?? null;
          const select = card.querySelector("select");
          if (select) select.value = event.to.dataset.stage;
          save(board, card, event.to.dataset.stage, { list: event.from, next }, false);
        },
      });
    }
  }

  function initWithin(root) {
    if (!root?.querySelectorAll) return;
    if (root.id === "board") init(root);
    for (const board of root.querySelectorAll("#board")) init(board);
    // Cards that arrived later ("Load more", a move's answer).
    const board = root.closest?.("#board");
    if (board) for (const card of root.matches("li") ? [root] : root.querySelectorAll("li")) enhanceCard(card, board);
  }

  initWithin(document);
  document.addEventListener("htmx:load", (event) => initWithin(event.target));
})();
