// Tells the user what happened: errors in words with their code, and short
// confirmations. One live region (#notice, role=alert) reads them out.
import { Code, ConnectError } from "@connectrpc/connect";
import { h, show } from "./dom.ts";

/** "Permission denied (code 7, PERMISSION_DENIED): the caller lacks project.member.write". */
export function describe(err: unknown): string {
  const e = ConnectError.from(err);
  const name = Code[e.code] ?? "Unknown";
  const words = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  const constant = name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  return `${words[0]!.toUpperCase()}${words.slice(1)} (code ${e.code}, ${constant}): ${e.rawMessage}`;
}

function region(): HTMLElement {
  return document.getElementById("notice")!;
}

export function showError(err: unknown): void {
  show(region(), h("p", { className: "error" }, describe(err), " ", dismiss()));
}

export function showInfo(text: string): void {
  show(region(), h("p", { className: "info" }, text, " ", dismiss()));
}

export function clearNotice(): void {
  show(region());
}

function dismiss(): HTMLElement {
  return h("button", { type: "button", className: "link", on: { click: clearNotice } }, "Dismiss");
}

/** Runs `action`; its failure is shown, not thrown. Returns whether it succeeded. */
export async function attempt(action: () => Promise<unknown>, done?: string): Promise<boolean> {
  try {
    await action();
    if (done) showInfo(done);
    else clearNotice();
    return true;
  } catch (err) {
    showError(err);
    return false;
  }
}
