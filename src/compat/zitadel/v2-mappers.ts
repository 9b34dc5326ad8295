// What the v2beta services share: a user as they show it, and domain errors
// renamed to the request fields v2beta clients know.
import { renameField } from "../../kernel/errors.ts";

export interface UserShape {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  organizationId: string;
}

/** The login name is the email, as ZITADEL's v1 member view has it too. */
export const v2User = (u: UserShape) => ({
  id: u.id,
  preferredLoginName: u.email,
  displayName: `${u.firstName} ${u.lastName}`,
  organizationId: u.organizationId,
});

/** A domain call whose errors name fields as the v2beta request does: each pattern replaced in turn. */
export async function renamed<T>(call: Promise<T>, renames: [RegExp, string][]): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw renameField(err, (field) => renames.reduce((f, [from, to]) => f.replace(from, to), field));
  }
}
