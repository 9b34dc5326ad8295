// Projects of the organization: the list, and a form to create one.
import { listAll } from "../api.ts";
import { field, fmtTime, h, show } from "../dom.ts";
import { attempt, showError } from "../notice.ts";
import type { ViewContext } from "../main.ts";

export async function renderProjects({ api, main }: ViewContext): Promise<void> {
  const list = h("div", {}, h("p", {}, "Loading…"));
  const name = h("input", { required: true, maxLength: 200 });
  const description = h("input", { maxLength: 1000 });
  const create = h(
    "form",
    {
      className: "card",
      "aria-label": "Create a project",
      on: {
        submit: async (e) => {
          e.preventDefault();
          const ok = await attempt(() => api.projects.createProject({ name: name.value, description: description.value }), `Created project ${name.value}.`);
          if (ok) (create.reset(), void load());
        },
      },
    },
    h("h3", {}, "Create a project"),
    field("Name", name),
    field("Description", description),
    h("button", { type: "submit" }, "Create project"),
  );
  show(main, h("h2", {}, "Projects"), list, create);

  async function load(): Promise<void> {
    try {
      const projects = await listAll(async (pageToken) => {
        const r = await api.projects.listProjects({ pageSize: 100, pageToken });
        return { items: r.projects, next: r.nextPageToken };
      });
      if (projects.length === 0) return show(list, h("p", { className: "empty" }, "No projects yet."));
      show(
        list,
        h(
          "table",
          {},
          h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Description"), h("th", {}, "Created"), h("th", {}, h("span", { className: "sr" }, "Links")))),
          h(
            "tbody",
            {},
            projects.map((p) =>
              h(
                "tr",
                {},
                h("td", {}, h("a", { href: `#/projects/${encodeURIComponent(p.id)}` }, p.name)),
                h("td", {}, p.description),
                h("td", {}, fmtTime(p.createdAt)),
                h("td", {}, h("a", { href: `#/projects/${encodeURIComponent(p.id)}/roles` }, "Roles")),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      show(list, h("p", { className: "empty" }, "Projects could not be loaded."));
      showError(err);
    }
  }
  await load();
}
