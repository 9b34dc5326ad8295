// README's first command and the examples of "Try it", "REST", "Logs and
// metrics" and "Errors", run as written in one shell against a real `npm start` in a
// scratch folder. Only the port differs (0 → the one the server reports) so
// the test never collides with a running server.
import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorDetailSchema } from "../../gen/zitadel/message_pb.js";
import { block, readmeBlocks, removeScratch, ROOT, scratch, session, startCommand, type Background, type BlockResult } from "../helpers/readme.ts";

let dir: string;
let server: Background;
let ports: Record<number, number>;

beforeAll(async () => {
  dir = scratch("readme");
  server = await startCommand("npm start -- --port 0", "npm start", { cwd: dir });
  ports = { 8080: Number(new URL(server.url).port) };
}, 60_000);

afterAll(async () => {
  await server?.stop();
  removeScratch(dir);
});

describe("README", () => {
  it("starts with the install-and-start command and the test command", () => {
    expect(readmeBlocks().slice(0, 2).map((b) => [b.lang, b.name, b.code.trim()])).toEqual([
      ["sh", "", "npm install && npm start"],
      ["sh", "", "npm test"],
    ]);
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.test).toContain("vitest run");
  });

  it("bootstraps on first start: the token file is 0600, its path printed, the token never logged", () => {
    const path = join(dir, "data", "membership.db.admin-token");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(server.output()).toContain("data/membership.db.admin-token");
    const token = readFileSync(path, "utf8").trim();
    expect(token).toMatch(/^mbr_[A-Za-z0-9_-]{43}$/);
    expect(server.output()).not.toContain(token);
  });
});

describe("the examples, pasted into one shell in README's order", () => {
  let out: Record<string, BlockResult>;
  const json = (name: string) => JSON.parse(out[name]!.stdout);
  beforeAll(async () => {
    const names = ["token", "create-project", "list-projects", "add-member", "check-access", "metrics", "error", "!error-zitadel", "rest-setup", "rest-add-member", "rest-list-members"];
    out = await session(names, { cwd: dir, ports });
  }, 60_000);

  it("creates a project with curl and lists it with buf curl, which learns the API by reflection", () => {
    expect(json("create-project").project.name).toBe("Payments");
    expect(json("list-projects").projects.map((p: { id: string }) => p.id)).toContain(json("create-project").project.id);
  });

  it("adds Ada, made by the command line, to a project it made, as a viewer", () => {
    const added = json("add-member");
    expect(Number(added.details.sequence)).toBeGreaterThan(0);
    expect(added.details.resourceOwner).toMatch(/^\d+$/);
  });

  it("asks CheckAccess twice: allowed to read, not to add members, and says so in the JSON", () => {
    const answers = out["check-access"]!.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(answers.map((a) => [a.allowed, a.roles.map((r: { role: string }) => r.role)])).toEqual([
      [true, ["viewer"]],
      [false, ["viewer"]],
    ]);
  });

  // In any order: buf curl's reflection stream may end before or after its call.
  it("shows the metrics of those calls exactly", () => {
    const lines = (text: string) => text.trimEnd().split("\n").sort();
    expect(lines(out.metrics!.stdout)).toEqual(lines(block("metrics-output")));
  });

  it("logs one access line like README's for each call, its values of the same types", () => {
    const sample = JSON.parse(block("access-line"));
    const lines = server.output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const line = lines.find((l) => l.msg === "rpc" && l.procedure === sample.procedure);
    expect(Object.keys(line)).toEqual(Object.keys(sample));
    expect(Object.values(line).map((v) => typeof v)).toEqual(Object.values(sample).map((v) => typeof v));
    expect([line.protocol, line.httpVersion, line.code]).toEqual([sample.protocol, sample.httpVersion, sample.code]);
  });

  it("answers creating Ada again with README's error body", () => {
    expect(json("error")).toEqual(JSON.parse(block("error-output")));
  });

  it("answers the ZITADEL API's second add with ALREADY_EXISTS, its id in the message and in an ErrorDetail", () => {
    const r = out["error-zitadel"]!;
    expect(r.status).toBe(Code.AlreadyExists << 3);
    const err = JSON.parse(r.stderr);
    expect(err.code).toBe("already_exists");
    expect(err.message).toMatch(/ \(MEMBERSHIP-ALREADY-EXISTS\)$/);
    expect(err.details.map((d: { type: string }) => d.type)).toEqual(["zitadel.v1.ErrorDetail"]);
    expect(fromBinary(ErrorDetailSchema, Buffer.from(err.details[0].value, "base64")).id).toBe("MEMBERSHIP-ALREADY-EXISTS");
  });

  it("adds a member over ZITADEL's REST path and lists it over the native one", () => {
    expect(Object.keys(json("rest-add-member").details).sort()).toEqual(["creationDate", "resourceOwner", "sequence"]);
    const listed = json("rest-list-members").memberships as { user: { email: string }; roles: { role: string }[] }[];
    expect(listed.map((m) => [m.user.email, m.roles.map((r) => r.role)])).toEqual([["margaret@example.com", ["PROJECT_OWNER"]]]);
  });
});
