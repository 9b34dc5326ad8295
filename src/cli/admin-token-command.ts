// `admin-token`: the way back from a lost administrator token. Issues a new
// token for the instance administrator through the token service (audited),
// prints it once and writes it to the database's token file, never over an
// existing file.
import { OPTIONS, defaultTokenFile } from "../config.ts";
import { createTokenService } from "../tokens/token-service.ts";
import { writeNewSecretFile } from "../tokens/secret-file.ts";
import { CONFIG, DB_OPTION, DB_TLS_OPTIONS, JSON_OPTION, type Command } from "./command.ts";
import { withDatabase } from "./offline.ts";
import { printSecret, tokenRow } from "./token-commands.ts";

export const adminTokenCommand: Command = {
  name: "admin-token",
  summary: "issue a new token for the instance administrator, print it once and write it to the token file",
  details:
    "The token file is <db>.admin-token unless --token-file names another. An existing file is never\n" +
    "overwritten (it may hold the only token of another database): the token then goes beside it,\n" +
    "<file>.1, and the line on stderr says where. Earlier tokens stay valid; revoke them with token revoke.",
  options: {
    "token-file": { ...OPTIONS["token-file"], value: "<file>", help: "where to write the token (<db>.admin-token)" },
    db: DB_OPTION,
    ...DB_TLS_OPTIONS,
    config: CONFIG,
    json: JSON_OPTION,
  },
  run: (opts, io) =>
    withDatabase(opts, "admin-token", async (o) => {
      const ctx = await o.operator();
      const { token, secret } = await createTokenService(o.deps).create(ctx, {
        principalType: "user",
        principalId: ctx.principal.id,
        expiresAt: null,
        description: "issued by membership-server admin-token",
      });
      let tokenFile: string | null = null;
      let failure = "";
      try {
        tokenFile = writeNewSecretFile(opts.get("token-file") ?? defaultTokenFile(o.db), secret + "\n");
      } catch (err) {
        // The token exists now: print it even so, or it is lost.
        failure = `; writing the token file failed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      }
      const where = tokenFile ? `, written to ${tokenFile}` : failure;
      printSecret(io, opts, secret, { ...tokenRow(token), tokenFile }, `new token ${token.id} of the instance administrator (user ${ctx.principal.id})${where}`);
      return tokenFile ? 0 : 1;
    }),
};
