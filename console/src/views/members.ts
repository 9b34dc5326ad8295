// A project's members, as ZITADEL's and Infisical's consoles show them:
// search by name, filter by role, pages of 25, 50 or 100 (remembered),
// add, edit roles, suspend, resume and remove, one at a time or the
// selected ones at once; kept current by WatchMemberships.
import type { Membership } from "../../../gen/membership/v1/membership_pb.js";
import type { ProjectRole } from "../../../gen/membership/v1/project_pb.js";
import { listAll } from "../api.ts";
import { confirmAction } from "../dialog.ts";
import { field, h, show } from "../dom.ts";
import { watchProject } from "../live.ts";
import { memberCalls } from "../member-calls.ts";
import { displayName, principalOf } from "../member-model.ts";
import { attempt, showError } from "../notice.ts";
import { PAGE_SIZES, session } from "../session.ts";
import type { ViewContext } from "../main.ts";
import { askNewMember } from "./add-member.ts";
import { memberTable } from "./member-table.ts";
import { editRoles } from "./role-editor.ts";
import { MembershipStatus } from "../../../gen/membership/v1/common_pb.js";

export async function renderMembers({ api, main, signal }: ViewContext, projectId: string): Promise<void> {
  const calls = memberCalls(api, projectId);
  let members: Membership[] = [];
  let roles: ProjectRole[] = [];
  let page = 0;
  const selected = new Set<string>();

  const title = h("h2", {}, "Members");
  const live = h("span", { className: "live", role: "status" }, "");
  const search = h("input", { type: "search", placeholder: "Name", on: { input: () => ((page = 0), draw()) } });
  const roleFilter = h("select", { on: { change: () => ((page = 0), draw()) } });
  const pageSize = h("select", { on: { change: () => (session.setPageSize(Number(pageSize.value)), (page = 0), draw()) } }, PAGE_SIZES.map((n) => h("option", { value: String(n) }, String(n))));
  pageSize.value = String(session.pageSize());
  const add = h("button", { type: "button", className: "primary", on: { click: () => void addMember() } }, "Add member");
  const bulk = h("div", { className: "bulk", role: "group", "aria-label": "Selected members" });
  const table = h("div", {}, h("p", {}, "Loading…"));
  const pager = h("nav", { className: "pager", "aria-label": "Pages" });
  show(
    main,
    h("div", { className: "title" }, title, live, h("a", { href: `#/projects/${encodeURIComponent(projectId)}/roles` }, "Custom roles"), h("a", { href: `#/audit/${encodeURIComponent(projectId)}` }, "Audit log")),
    h("div", { className: "toolbar" }, field("Search by name", search), field("Role", roleFilter), field("Page size", pageSize), add),
    bulk,
    table,
    pager,
  );

  function visible(): Membership[] {
    const q = search.value.trim().toLowerCase();
    return members.filter(
      (m) => (!q || displayName(m).toLowerCase().includes(q)) && (!roleFilter.value || m.roles.some((r) => r.role === roleFilter.value)),
    );
  }

  function draw(): void {
    const rows = visible();
    const size = Number(pageSize.value);
    const pages = Math.max(1, Math.ceil(rows.length / size));
    page = Math.min(page, pages - 1);
    const shown = rows.slice(page * size, (page + 1) * size);
    if (rows.length === 0) {
      show(table, h("p", { className: "empty" }, members.length === 0 ? "This project has no members yet." : "No member matches the search."));
    } else {
      show(table, memberTable(shown, { selected, onSelect: drawBulk, editRoles: (m) => void changeRoles([m]), toggleSuspended: (m) => void toggle(m), remove: (m) => void removeMembers([m]) }));
    }
    show(
      pager,
      h("button", { type: "button", disabled: page === 0, on: { click: () => (page--, draw()) } }, "Previous page"),
      h("span", {}, `Page ${page + 1} of ${pages} · ${rows.length} member${rows.length === 1 ? "" : "s"}`),
      h("button", { type: "button", disabled: page >= pages - 1, on: { click: () => (page++, draw()) } }, "Next page"),
    );
    drawBulk();
  }

  function drawBulk(): void {
    for (const id of selected) if (!members.some((m) => m.id === id)) selected.delete(id);
    if (selected.size === 0) return show(bulk);
    const chosen = () => members.filter((m) => selected.has(m.id));
    show(
      bulk,
      h("span", {}, `${selected.size} selected`),
      h("button", { type: "button", on: { click: () => void changeRoles(chosen()) } }, "Change roles of selected"),
      h("button", { type: "button", className: "danger", on: { click: () => void removeMembers(chosen()) } }, "Remove selected"),
    );
  }

  async function load(): Promise<void> {
    try {
      const [list, projectRoles, project] = await Promise.all([
        listAll(async (pageToken) => {
          const r = await api.members.listMemberships({ projectId, pageSize: 100, pageToken });
          return { items: r.memberships, next: r.nextPageToken };
        }, 10_000),
        api.projects.listProjectRoles({ projectId, pageSize: 100 }),
        api.projects.getProject({ projectId }),
      ]);
      members = list;
      roles = projectRoles.roles;
      title.textContent = `Members of ${project.project?.name ?? projectId}`;
      const current = roleFilter.value;
      show(roleFilter, h("option", { value: "" }, "All roles"), roles.map((r) => h("option", { value: r.slug }, r.name || r.slug)));
      roleFilter.value = roles.some((r) => r.slug === current) ? current : "";
      draw();
    } catch (err) {
      show(table, h("p", { className: "empty" }, "Members could not be loaded."));
      showError(err);
    }
  }

  async function addMember(): Promise<void> {
    let choice;
    try {
      choice = await askNewMember(api, roles);
    } catch (err) {
      return showError(err);
    }
    if (choice && (await attempt(() => calls.add(choice.principal, choice.roles), "Member added."))) await load();
  }

  async function changeRoles(targets: Membership[]): Promise<void> {
    const held = targets.length === 1 ? targets[0]!.roles.map((r) => r.role) : [];
    const name = targets.length === 1 ? displayName(targets[0]!) : `${targets.length} members`;
    const choice = await editRoles(`Roles of ${name}`, roles, held);
    if (!choice) return;
    const ok = await attempt(async () => {
      for (const m of targets) await calls.setRoles(principalOf(m), choice.roles);
    }, "Roles saved.");
    if (ok) await load();
  }

  async function toggle(m: Membership): Promise<void> {
    const suspended = m.status === MembershipStatus.SUSPENDED;
    if (await attempt(() => (suspended ? calls.resume(m) : calls.suspend(m)), `${displayName(m)} ${suspended ? "resumed" : "suspended"}.`)) await load();
  }

  async function removeMembers(targets: Membership[]): Promise<void> {
    const names = targets.map(displayName).join(", ");
    if (!(await confirmAction(`Remove ${names} from the project? Their roles are revoked.`, "Remove"))) return;
    const ok = await attempt(async () => {
      for (const m of targets) await calls.remove(principalOf(m));
    }, `Removed ${names}.`);
    if (ok) (targets.forEach((m) => selected.delete(m.id)), await load());
  }

  await load();
  watchProject(api, projectId, signal, () => void load(), (s) => (live.textContent = s === "live" ? "● Live" : "Reconnecting…"));
  // Time left on temporary roles counts down without a reload.
  const tick = setInterval(draw, 30_000);
  signal.addEventListener("abort", () => clearInterval(tick));
}
