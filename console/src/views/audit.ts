// The audit log: every committed change of the organization, newest page
// last as the server orders them, filtered by project, actor, target,
// action and time.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { AuditEvent } from "../../../gen/membership/v1/audit_pb.js";
import { field, fmtTime, h, show } from "../dom.ts";
import { showError } from "../notice.ts";
import type { ViewContext } from "../main.ts";

export async function renderAudit({ api, main }: ViewContext, projectId: string): Promise<void> {
  const project = h("input", { value: projectId });
  const actor = h("input", {});
  const target = h("input", {});
  const action = h("input", { placeholder: "membership.added" });
  const from = h("input", { type: "datetime-local" });
  const to = h("input", { type: "datetime-local" });
  const list = h("div", {}, h("p", {}, "Loading…"));
  const more = h("div", {});
  const filters = h(
    "form",
    { className: "toolbar", "aria-label": "Filters", on: { submit: (e) => (e.preventDefault(), void load("", true)) } },
    field("Project id", project),
    field("Actor id", actor),
    field("Target id", target),
    field("Action", action),
    field("From", from),
    field("To", to),
    h("button", { type: "submit" }, "Apply filters"),
  );
  show(main, h("h2", {}, "Audit log"), filters, list, more);
  let shown: AuditEvent[] = [];

  async function load(pageToken: string, fresh: boolean): Promise<void> {
    try {
      const r = await api.audit.listAuditEvents({
        pageSize: 100,
        pageToken,
        projectId: project.value.trim(),
        actorId: actor.value.trim(),
        targetId: target.value.trim(),
        action: action.value.trim(),
        startTime: from.value ? timestampFromDate(new Date(from.value)) : undefined,
        endTime: to.value ? timestampFromDate(new Date(to.value)) : undefined,
      });
      shown = fresh ? r.events : [...shown, ...r.events];
      draw();
      show(more, r.nextPageToken ? h("button", { type: "button", on: { click: () => void load(r.nextPageToken, false) } }, "Load more") : null);
    } catch (err) {
      show(list, h("p", { className: "empty" }, "The audit log could not be loaded."));
      showError(err);
    }
  }

  function draw(): void {
    if (shown.length === 0) return show(list, h("p", { className: "empty" }, "No audit events match."));
    show(
      list,
      h(
        "table",
        { className: "audit" },
        h("thead", {}, h("tr", {}, ["#", "Time", "Action", "Actor", "Target", "Project", "Change"].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          shown.map((e) =>
            h(
              "tr",
              { "data-action": e.action },
              h("td", {}, String(e.sequence)),
              h("td", {}, fmtTime(e.time)),
              h("th", { scope: "row" }, e.action),
              h("td", {}, `${e.actorType} ${e.actorId}`),
              h("td", {}, `${e.targetType} ${e.targetId}`),
              h("td", {}, e.projectId),
              h("td", {}, change(e)),
            ),
          ),
        ),
      ),
    );
  }

  await load("", true);
}

/** The state after the change (or before, for a removal), folded away: it can be long. */
function change(e: AuditEvent): HTMLElement | null {
  const state = e.after ?? e.before;
  if (!state) return null;
  return h("details", {}, h("summary", {}, e.after ? "after" : "before"), h("pre", {}, JSON.stringify(state, null, 1)));
}
