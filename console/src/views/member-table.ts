// One row per member: a selection box, an icon for the kind (a person or a
// machine), name and login, roles as chips with what is left of temporary
// ones, status, and the row's actions.
import { MembershipStatus } from "../../../gen/membership/v1/common_pb.js";
import type { Membership } from "../../../gen/membership/v1/membership_pb.js";
import { h } from "../dom.ts";
import { kindIcon } from "../icons.ts";
import { displayName, expiryText, isIdentity, loginName, roleName, statusText } from "../member-model.ts";

export interface RowActions {
  selected: Set<string>;
  onSelect: () => void;
  editRoles: (m: Membership) => void;
  toggleSuspended: (m: Membership) => void;
  remove: (m: Membership) => void;
}

export function memberTable(rows: Membership[], a: RowActions): HTMLElement {
  const all = h("input", {
    type: "checkbox",
    "aria-label": "Select all members shown",
    checked: rows.length > 0 && rows.every((m) => a.selected.has(m.id)),
    on: {
      change: () => {
        for (const m of rows) all.checked ? a.selected.add(m.id) : a.selected.delete(m.id);
        a.onSelect();
      },
    },
  });
  const head = ["Kind", "Name", "Login name or email", "Roles", "Status", h("span", { className: "sr" }, "Actions")];
  return h(
    "table",
    { className: "members" },
    h("thead", {}, h("tr", {}, h("th", {}, all), head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((m) => row(m, a))),
  );
}

function row(m: Membership, a: RowActions): HTMLElement {
  const name = displayName(m);
  const select = h("input", {
    type: "checkbox",
    "aria-label": `Select ${name}`,
    checked: a.selected.has(m.id),
    on: { change: () => (select.checked ? a.selected.add(m.id) : a.selected.delete(m.id), a.onSelect()) },
  });
  const machine = isIdentity(m);
  const suspended = m.status === MembershipStatus.SUSPENDED;
  return h(
    "tr",
    { "data-member": m.id, "data-kind": machine ? "identity" : "user" },
    h("td", {}, select),
    h("td", {}, machine ? kindIcon("machine", "Machine identity") : kindIcon("person", "User")),
    h("th", { scope: "row" }, name),
    h("td", {}, loginName(m)),
    h(
      "td",
      {},
      m.roles.length === 0
        ? h("span", { className: "muted" }, "no roles")
        : m.roles.map((r) => {
            const left = expiryText(r);
            return h("span", { className: `chip${r.isTemporary ? " temporary" : ""}` }, roleName(r), left ? h("small", { className: "expiry" }, ` ${left}`) : null);
          }),
    ),
    h("td", {}, h("span", { className: `status ${statusText(m.status).toLowerCase()}` }, statusText(m.status))),
    h(
      "td",
      { className: "row-actions" },
      h("button", { type: "button", on: { click: () => a.editRoles(m) } }, "Edit roles", h("span", { className: "sr" }, ` of ${name}`)),
      h("button", { type: "button", on: { click: () => a.toggleSuspended(m) } }, suspended ? "Resume" : "Suspend", h("span", { className: "sr" }, ` ${name}`)),
      h("button", { type: "button", className: "danger", on: { click: () => a.remove(m) } }, "Remove", h("span", { className: "sr" }, ` ${name}`)),
    ),
  );
}
