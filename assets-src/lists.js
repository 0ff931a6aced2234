// The lists' bulk bar (issue 18): says how many rows are ticked, in its status line, so a screen reader
// hears the bar's arrival; app.css shows the bar only while a row is ticked. Loaded by app.js where a
// list names it in data-scripts. Without this script the bar still appears and works.
(() => {
  const ROWS = "input[type='checkbox'][name='ids'][form='bulk-form']";
  function update() {
    const status = document.querySelector("[data-bulk-status]");
    if (!status) return;
    const ticked = document.querySelectorAll(`${ROWS}:checked`).length;
    const matching = document.querySelector("input[name='scope'][value='matching'][form='bulk-form']");
    const text =
      ticked === 0 ? "" : matching?.checked ? "Every matching row is selected." : `${ticked} selected on this page.`;
    if (status.textContent !== text) status.textContent = text;
  }
  document.addEventListener("change", (event) => {
    if (event.target?.matches?.(`${ROWS}, [data-select-all], input[name='scope']`)) update();
  });
  document.addEventListener("htmx:load", update);
  update();
})();
