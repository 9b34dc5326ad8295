// A few lines instead of a framework: h() builds an element from a tag,
// properties and children; the views rebuild their part of the page when
// their data changes.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

type Child = Node | string | null | undefined | false;
type Props = Record<string, unknown> & { on?: Record<string, (e: Event) => void> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "on") {
      for (const [event, fn] of Object.entries(value as Record<string, (e: Event) => void>)) el.addEventListener(event, fn);
    } else if (key.startsWith("aria-") || key.startsWith("data-") || key === "for" || key === "role") {
      if (value !== undefined && value !== false) el.setAttribute(key, String(value));
    } else if (value !== undefined) {
      (el as unknown as Record<string, unknown>)[key] = value;
    }
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

let nextId = 0;
/** A labelled form control: the label names it for screen readers and clicking it focuses it. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id ||= `f${++nextId}`;
  return h("div", { className: "field" }, h("label", { for: control.id }, label), control, hint ? h("small", {}, hint) : null);
}

/** Replaces the children of `el`. */
export function show(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren(...(children.flat().filter((c) => c !== null && c !== undefined && c !== false) as (Node | string)[]));
}

export function fmtTime(t: Timestamp | undefined): string {
  return t ? timestampDate(t).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
}
