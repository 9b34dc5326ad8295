// The form that gives roles, to a new member or to existing ones: pick roles
// of the project, optionally temporary from a start time for a range.
import type { ProjectRole } from "../../../gen/membership/v1/project_pb.js";
import { openDialog } from "../dialog.ts";
import { field, h } from "../dom.ts";
import { assignments, type Assignment } from "../member-model.ts";

export interface RoleChoice {
  roles: Assignment[];
}

/** The role inputs and a reader that returns the assignments, or null (with a message on the form) when incomplete. */
export function roleInputs(roles: ProjectRole[], held: string[] = []) {
  // Named by the role alone: "built-in" or "custom" beside it is a description.
  const boxes = roles.map((r) => h("input", { type: "checkbox", value: r.slug, checked: held.includes(r.slug), "aria-label": r.name || r.slug }));
  const temporary = h("input", { type: "checkbox" });
  const start = h("input", { type: "datetime-local", value: localNow(), disabled: true });
  const range = h("input", { value: "3h", pattern: "[1-9][0-9]*[smhd]", disabled: true, size: 6 });
  temporary.addEventListener("change", () => (start.disabled = range.disabled = !temporary.checked));
  const problem = h("p", { className: "error", role: "status" });
  const fieldset = h(
    "fieldset",
    {},
    h("legend", {}, "Roles"),
    roles.map((r, i) => h("label", { className: "check" }, boxes[i]!, ` ${r.name || r.slug} `, h("small", {}, r.builtIn ? "built-in" : "custom"))),
  );
  const elements = [
    fieldset,
    h("label", { className: "check" }, temporary, " Temporary access"),
    h("div", { className: "row" }, field("Starts", start), field("For", range, "A number and s, m, h or d, such as 3h or 7d")),
    problem,
  ];
  const read = (): Assignment[] | null => {
    const picked = boxes.filter((b) => b.checked).map((b) => b.value);
    if (picked.length === 0) return (problem.textContent = "Pick at least one role."), null;
    if (!temporary.checked) return assignments(picked);
    if (!range.checkValidity() || !start.value) return (problem.textContent = "A temporary role needs a start and a range such as 3h."), null;
    return assignments(picked, { start: new Date(start.value), range: range.value });
  };
  return { elements, read };
}

/** Asks for the roles of the members named in `title`. */
export function editRoles(title: string, roles: ProjectRole[], held: string[]): Promise<RoleChoice | null> {
  const inputs = roleInputs(roles, held);
  return openDialog(title, inputs.elements, "Save roles", () => {
    const picked = inputs.read();
    return picked && { roles: picked };
  });
}

/** Now, in the form a datetime-local input takes (local time, minutes). */
function localNow(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
