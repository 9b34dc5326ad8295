// A project's roles: the built-in ones, read-only, and its custom roles,
// which are created and edited here from the permissions the built-in
// roles use.
import type { ProjectRole } from "../../../gen/membership/v1/project_pb.js";
import { openDialog } from "../dialog.ts";
import { field, h, show } from "../dom.ts";
import { attempt, showError } from "../notice.ts";
import type { ViewContext } from "../main.ts";

export async function renderRoles({ api, main }: ViewContext, projectId: string): Promise<void> {
  const list = h("div", {}, h("p", {}, "Loading…"));
  let roles: ProjectRole[] = [];
  const create = h("button", { type: "button", className: "primary", on: { click: () => void edit() } }, "Create custom role");
  show(main, h("div", { className: "title" }, h("h2", {}, "Roles"), h("a", { href: `#/projects/${encodeURIComponent(projectId)}` }, "Members")), list, create);

  const permissions = () => [...new Set(roles.flatMap((r) => r.permissions))].sort();

  async function load(): Promise<void> {
    try {
      roles = (await api.projects.listProjectRoles({ projectId, pageSize: 100 })).roles;
    } catch (err) {
      show(list, h("p", { className: "empty" }, "Roles could not be loaded."));
      return showError(err);
    }
    const custom = roles.filter((r) => !r.builtIn);
    show(
      list,
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["Slug", "Name", "Kind", "Permissions", ""].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          roles.map((r) =>
            h(
              "tr",
              { "data-role": r.slug },
              h("th", { scope: "row" }, r.slug),
              h("td", {}, r.name),
              h("td", {}, r.builtIn ? "built-in" : "custom"),
              h("td", {}, r.permissions.map((p) => h("span", { className: "chip" }, p))),
              h("td", {}, r.builtIn ? null : h("button", { type: "button", on: { click: () => void edit(r) } }, "Edit", h("span", { className: "sr" }, ` ${r.slug}`))),
            ),
          ),
        ),
      ),
      custom.length === 0 ? h("p", { className: "empty" }, "This project has no custom roles yet.") : null,
    );
  }

  async function edit(role?: ProjectRole): Promise<void> {
    const slug = h("input", { required: true, value: role?.slug ?? "", pattern: "[a-z][a-z0-9-]*" });
    const name = h("input", { required: true, value: role?.name ?? "" });
    const description = h("input", { value: role?.description ?? "" });
    const boxes = permissions().map((p) => h("input", { type: "checkbox", value: p, checked: role?.permissions.includes(p) ?? false }));
    const picked = await openDialog(
      role ? `Edit role ${role.slug}` : "Create a custom role",
      [
        field("Slug", slug, "Lower case letters, digits and dashes"),
        field("Name", name),
        field("Description", description),
        h("fieldset", {}, h("legend", {}, "Permissions"), boxes.map((b) => h("label", { className: "check" }, b, ` ${b.value}`))),
      ],
      role ? "Save role" : "Create role",
      () => ({ slug: slug.value, name: name.value, description: description.value, permissions: boxes.filter((b) => b.checked).map((b) => b.value) }),
    );
    if (!picked) return;
    const ok = await attempt(
      () =>
        role
          ? api.projects.updateProjectRole({ projectId, roleId: role.id, ...picked, permissions: { permissions: picked.permissions } })
          : api.projects.createProjectRole({ projectId, ...picked }),
      role ? `Saved role ${picked.slug}.` : `Created role ${picked.slug}.`,
    );
    if (ok) await load();
  }

  await load();
}
