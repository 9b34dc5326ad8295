// A real server process to fuzz: its own database file, the bootstrap token,
// a few resources whose ids the fuzzer mixes into requests, and a second
// SQLite connection that sees every commit the server makes (PRAGMA
// data_version changes whenever another connection commits), so a failed
// call that wrote anything is caught even if it wrote no audit event.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { IdentityService } from "../../gen/membership/v1/identity_pb.js";
import { MembershipService } from "../../gen/membership/v1/membership_pb.js";
import { OrganizationService } from "../../gen/membership/v1/organization_pb.js";
import { ProjectService } from "../../gen/membership/v1/project_pb.js";
import { TokenService } from "../../gen/membership/v1/token_pb.js";
import { UserService } from "../../gen/membership/v1/user_pb.js";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.ts";

/** Ids of things that exist, so that fuzzed requests reach past "not found". */
export interface FuzzFixtures {
  orgId: string;
  otherOrgId: string;
  projectId: string;
  userId: string;
  identityId: string;
  membershipId: string;
  roleId: string;
  roleSlug: string;
  /** A token of the identity, never the administrator's: the fuzzer may revoke it. */
  tokenId: string;
}

export interface FuzzTarget {
  url: string;
  fastPath: boolean;
  token: string;
  fixtures: FuzzFixtures;
  /** Changes whenever the server commits a transaction. */
  dataVersion(): number;
  /** The highest audit sequence on disk. */
  auditSequence(): number;
  /** Set once the process has exited, with its code (null for a signal). */
  exitCode(): number | null | undefined;
  /**
   * Every line the process wrote since it was listening, on stderr and stdout
   * alike (the log is on one of them, depending on the logger), in arrival
   * order; all of it should be log entries, one JSON object per line.
   */
  output(): readonly string[];
  /** SIGTERM, then resolves with the exit code. */
  close(): Promise<number | null>;
}

export async function startFuzzTarget(fastPath: boolean): Promise<FuzzTarget> {
  const dir = mkdtempSync(join(tmpdir(), "membership-fuzz-"));
  const db = join(dir, "membership.db");
  const tokenFile = join(dir, "admin-token");
  // The fuzzer sends bad tokens on purpose; a budget of failed
  // authentications per client address (MEMBERSHIP_AUTH_FAIL_BUDGET, where
  // the server has one) would soon refuse every call from 127.0.0.1, the good
  // ones after each case included. One this large keeps the limiter in the
  // path without tripping it. The child inherits the environment.
  process.env.MEMBERSHIP_AUTH_FAIL_BUDGET ??= "1000000";
  let proc: ServerProcess;
  try {
    proc = await startServerProcess(["--db", db, "--port", "0", "--token-file", tokenFile, "--log-level", "debug", "--fast-path", fastPath ? "on" : "off"]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const output: string[] = [];
  collectLines(proc.child.stdout!, output);
  collectLines(proc.child.stderr!, output);
  let exit: number | null | undefined;
  void proc.exited.then((code) => (exit = code));
  // 'close' comes once stdout and stderr are drained too, after 'exit'.
  const closed = new Promise((done) => proc.child.once("close", done));
  const token = readFileSync(tokenFile, "utf8").trim();
  const fixtures = await createFixtures(proc.url, token);
  const reader = new Database(db, { readonly: true, fileMustExist: true });
  const version = reader.prepare("PRAGMA data_version").pluck();
  const sequence = reader.prepare("SELECT coalesce(max(sequence), 0) FROM audit_events").pluck();
  return {
    url: proc.url,
    fastPath,
    token,
    fixtures,
    dataVersion: () => version.get() as number,
    auditSequence: () => sequence.get() as number,
    exitCode: () => exit,
    output: () => output,
    async close() {
      reader.close();
      if (exit === undefined) proc.child.kill("SIGTERM");
      const code = await proc.exited;
      await closed;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

async function createFixtures(baseUrl: string, token: string): Promise<FuzzFixtures> {
  const transport = createConnectTransport({ baseUrl, httpVersion: "1.1" });
  const as = { headers: { authorization: `Bearer ${token}` } };
  const orgs = createClient(OrganizationService, transport);
  const { organizations } = await orgs.listOrganizations({}, as);
  const orgId = organizations[0]!.id;
  const otherOrgId = (await orgs.createOrganization({ name: "other" }, as)).organization!.id;
  const projects = createClient(ProjectService, transport);
  const projectId = (await projects.createProject({ name: "fuzzed" }, as)).project!.id;
  const roleSlug = "fuzz-role";
  const role = (await projects.createProjectRole({ projectId, slug: roleSlug, name: "Fuzz", permissions: ["project.read"] }, as)).role!;
  const user = (await createClient(UserService, transport).createUser({ email: "fuzz@example.com", firstName: "F", lastName: "Z" }, as)).user!;
  const identity = (await createClient(IdentityService, transport).createIdentity({ name: "fuzz bot" }, as)).identity!;
  const tok = await createClient(TokenService, transport).createToken({ principal: { case: "identityId", value: identity.id } }, as);
  const members = createClient(MembershipService, transport);
  await members.addProjectMember({ projectId, userId: user.id, roles: ["viewer"] }, as);
  const { memberships } = await members.listMemberships({ projectId }, as);
  return {
    orgId,
    otherOrgId,
    projectId,
    userId: user.id,
    identityId: identity.id,
    membershipId: memberships.find((m) => m.userId === user.id)!.id,
    roleId: role.id,
    roleSlug,
    tokenId: tok.token!.id,
  };
}

/** Appends each complete line `stream` writes to `into`. */
function collectLines(stream: Readable, into: string[]): void {
  let partial = "";
  stream.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) if (line !== "") into.push(line);
  });
}
