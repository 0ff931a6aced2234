/**
 * The keyboard shortcut sheet of the contacts pages. assets-src/app.js opens it on "?" and handles
 * "/" and "n" while it is on the page; closing needs no script (a dialog form, and Esc).
 */
export function ShortcutSheet(p: { canWrite: boolean; hasSearch: boolean }) {
  return (
    <dialog id="shortcut-sheet" class="shortcut-sheet" aria-labelledby="shortcut-sheet-title">
      <h2 id="shortcut-sheet-title">Keyboard shortcuts</h2>
      <dl class="facts">
        {p.hasSearch ? (
          <>
            <dt>
              <kbd>/</kbd>
            </dt>
            <dd>Search contacts</dd>
          </>
        ) : null}
        {p.canWrite ? (
          <>
            <dt>
              <kbd>n</kbd>
            </dt>
            <dd>New contact</dd>
          </>
        ) : null}
        <dt>
          <kbd>Ctrl</kbd> <kbd>K</kbd> / <kbd>⌘</kbd> <kbd>K</kbd>
        </dt>
        <dd>Command palette: go to a record or page, create, switch workspace (any app page)</dd>
        <dt>
          <kbd>?</kbd>
        </dt>
        <dd>Show these shortcuts</dd>
        <dt>
          <kbd>Esc</kbd>
        </dt>
        <dd>Close this window</dd>
      </dl>
      <p class="hint">Shortcuts do nothing while you are typing in a field.</p>
      <label class="checkbox">
        <input type="checkbox" data-single-key-shortcuts="" checked />
        Single-key shortcuts (<kbd>/</kbd>, <kbd>n</kbd>, <kbd>t</kbd>, <kbd>x</kbd>, <kbd>?</kbd>) in this browser
      </label>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}

/** A link-styled button that opens the sheet; hidden until app.js shows it (it needs the script). */
export function ShortcutButton() {
  return (
    <button type="button" class="link shortcut-button" data-shortcut-sheet hidden>
      Keyboard shortcuts <kbd>?</kbd>
    </button>
  );
}
