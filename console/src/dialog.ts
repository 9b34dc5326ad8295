// Modal dialogs on <dialog>: the browser traps focus in them, Escape
// cancels, and focus returns where it was when they close.
import { h } from "./dom.ts";

/** Opens a dialog holding `form`; resolves with `read()` when it is submitted, null when cancelled. */
export function openDialog<T>(title: string, body: HTMLElement[], submitLabel: string, read: () => T | null): Promise<T | null> {
  return new Promise((resolve) => {
    let result: T | null = null;
    const cancel = h("button", { type: "button", on: { click: () => dialog.close() } }, "Cancel");
    const form = h(
      "form",
      {
        method: "dialog",
        on: {
          submit: (e) => {
            result = read();
            if (result === null) e.preventDefault();
          },
        },
      },
      h("h2", {}, title),
      body,
      h("div", { className: "actions" }, h("button", { type: "submit", className: "primary" }, submitLabel), cancel),
    );
    const dialog = h("dialog", { "aria-label": title }, form);
    dialog.addEventListener("close", () => (dialog.remove(), resolve(result)));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Asks before something that cannot be undone from here. */
export async function confirmAction(question: string, confirmLabel: string): Promise<boolean> {
  return (await openDialog("Please confirm", [h("p", {}, question)], confirmLabel, () => true)) === true;
}
