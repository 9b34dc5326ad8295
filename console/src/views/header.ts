// The bar above every view: where to go, which organization the calls act
// in (x-zitadel-orgid), which protocol they speak, and signing out.
import type { Api } from "../api.ts";
import { field, h, show } from "../dom.ts";
import { showError } from "../notice.ts";
import { session, type Protocol } from "../session.ts";

export function renderHeader(top: HTMLElement, api: Api, reload: () => void): void {
  const orgs = h("select", { on: { change: () => (session.setOrg(orgs.value), reload()) } });
  const protocol = h(
    "select",
    { on: { change: () => (session.setProtocol(protocol.value as Protocol), reload()) } },
    h("option", { value: "grpc-web" }, "gRPC-web"),
    h("option", { value: "connect" }, "Connect"),
  );
  protocol.value = session.protocol();
  const signOut = h("button", { type: "button", on: { click: () => (session.signOut(), (location.hash = ""), reload()) } }, "Sign out");
  show(
    top,
    h("h1", {}, h("a", { href: "#/projects" }, "Membership console")),
    h("nav", { "aria-label": "Main" }, h("a", { href: "#/projects" }, "Projects"), h("a", { href: "#/audit" }, "Audit log")),
    h("div", { className: "settings" }, field("Organization", orgs), field("Protocol", protocol), signOut),
  );
  api.orgs.listOrganizations({ pageSize: 100 }).then(
    ({ organizations }) => {
      show(orgs, h("option", { value: "" }, "Your own"), organizations.map((o) => h("option", { value: o.id }, o.name)));
      orgs.value = session.org();
    },
    showError,
  );
}
