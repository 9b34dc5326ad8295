// The console's entry: the header (organization, protocol, sign out), then
// the view the location's hash names. Views get the clients and a place on
// the page, and return what stops them (the live stream of the members view).
import { createApi, type Api } from "./api.ts";
import { h, show } from "./dom.ts";
import { clearNotice } from "./notice.ts";
import { session } from "./session.ts";
import { renderHeader } from "./views/header.ts";
import { renderSignIn } from "./views/sign-in.ts";
import { renderProjects } from "./views/projects.ts";
import { renderMembers } from "./views/members.ts";
import { renderRoles } from "./views/roles.ts";
import { renderAudit } from "./views/audit.ts";

export interface ViewContext {
  api: Api;
  main: HTMLElement;
  /** Aborted when the view is left. */
  signal: AbortSignal;
}

let leave = new AbortController();

function route(): void {
  leave.abort();
  leave = new AbortController();
  clearNotice();
  const main = document.getElementById("main")!;
  const top = document.getElementById("top")!;
  if (!session.token()) {
    show(top, h("h1", {}, "Membership console"));
    renderSignIn(main, route);
    return;
  }
  const api = createApi();
  const ctx: ViewContext = { api, main, signal: leave.signal };
  renderHeader(top, api, route);
  const [, section, id, sub] = location.hash.split("/");
  if (section === "audit") void renderAudit(ctx, id ? decodeURIComponent(id) : "");
  else if (section === "projects" && id && sub === "roles") void renderRoles(ctx, decodeURIComponent(id));
  else if (section === "projects" && id) void renderMembers(ctx, decodeURIComponent(id));
  else void renderProjects(ctx);
}

addEventListener("hashchange", route);
route();
