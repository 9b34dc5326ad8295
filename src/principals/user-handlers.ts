import { UserService } from "../../gen/membership/v1/user_pb.js";
import type { UserService as Users } from "./user-service.ts";
import { detailsToProto, ts, type Init } from "../rpc/common-mappers.ts";
import { unary, type Route } from "../rpc/route.ts";
import type { UserSchema } from "../../gen/membership/v1/user_pb.js";
import type { UserRecord } from "../kernel/records.ts";

const userToProto = (u: UserRecord): Init<typeof UserSchema> => ({
  id: u.id,
  organizationId: u.organizationId,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  createdAt: ts(u.createdAt),
});

const U = UserService.method;

/** Human users of an organization. */
export function userRoutes(s: { users: Users }): Route[] {
  return [
    unary(U.createUser, { scope: "organization", permission: "org.user.write" }, async (req, call) => ({
      user: userToProto(await s.users.create(call, req)),
    })),
    unary(U.getUser, { scope: "organization", permission: "org.user.read", self: true }, async (req, call) => ({
      user: userToProto(await s.users.get(call, req.userId)),
    })),
    unary(U.listUsers, { scope: "organization", permission: "org.user.read" }, async (req, call) => {
      const page = await s.users.list(call, req);
      return { users: page.items.map(userToProto), nextPageToken: page.nextPageToken };
    }),
    unary(U.updateUser, { scope: "organization", permission: "org.user.write" }, async (req, call) => ({
      user: userToProto(await s.users.update(call, req)),
    })),
    unary(U.deleteUser, { scope: "organization", permission: "org.user.write" }, async (req, call) => ({
      details: detailsToProto(await s.users.delete(call, req.userId)),
    })),
  ];
}
