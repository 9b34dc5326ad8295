// Adding a member: a user or a machine identity of the organization, and
// the roles to give it.
import type { ProjectRole } from "../../../gen/membership/v1/project_pb.js";
import { listAll, type Api } from "../api.ts";
import { openDialog } from "../dialog.ts";
import { field, h, show } from "../dom.ts";
import type { Principal } from "../member-model.ts";
import { roleInputs, type RoleChoice } from "./role-editor.ts";

export async function askNewMember(api: Api, roles: ProjectRole[]): Promise<(RoleChoice & { principal: Principal }) | null> {
  const [users, identities] = await Promise.all([
    listAll(async (pageToken) => {
      const r = await api.users.listUsers({ pageSize: 100, pageToken });
      return { items: r.users, next: r.nextPageToken };
    }),
    listAll(async (pageToken) => {
      const r = await api.identities.listIdentities({ pageSize: 100, pageToken });
      return { items: r.identities, next: r.nextPageToken };
    }),
  ]);
  const kind = h("select", {}, h("option", { value: "user" }, "User"), h("option", { value: "identity" }, "Machine identity"));
  const who = h("select", { required: true });
  const fill = () =>
    show(
      who,
      kind.value === "user"
        ? users.map((u) => h("option", { value: u.id }, `${`${u.firstName} ${u.lastName}`.trim()} <${u.email}>`))
        : identities.map((i) => h("option", { value: i.id }, i.name)),
    );
  kind.addEventListener("change", fill);
  fill();
  const inputs = roleInputs(roles);
  return openDialog("Add a member", [field("Kind", kind), field("Who", who), ...inputs.elements], "Add member", () => {
    const picked = inputs.read();
    if (!picked || !who.value) return null;
    return { principal: { kind: kind.value as Principal["kind"], id: who.value }, roles: picked };
  });
}
