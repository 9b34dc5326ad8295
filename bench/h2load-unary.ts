// Server-side unary throughput, measured from outside the process with h2load
// (Debian's nghttp2-client), so the load generator does not share the
// server's event loop. Not part of the test run:
//   node bench/h2load-unary.ts [requests=20000] [clients=4] [streams=16]
// Starts `node src/main.ts` on a temp SQLite file, seeds a project with 200
// members, then sends CheckAccess over gRPC (h2c) and Connect JSON (h2c).
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckAccessRequestSchema, MembershipService } from "../gen/membership/v1/membership_pb.js";
import { ProjectService } from "../gen/membership/v1/project_pb.js";
import { UserService } from "../gen/membership/v1/user_pb.js";

const [requests = "20000", clients = "4", streams = "16"] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "h2load-"));
const server = spawn(process.execPath, [...(process.env.PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : []), "src/main.ts", "--port", "0", "--db", join(dir, "m.db"), "--log-level", "error"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise<string>((ok) => {
  let out = "";
  server.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) ok(m[1]!);
  });
});
try {
  const token = readFileSync(join(dir, "admin-token"), "utf8").trim();
  const headers = { authorization: `Bearer ${token}` };
  const t = createGrpcTransport({ baseUrl: url });
  const projectId = (await createClient(ProjectService, t).createProject({ name: "bench" }, { headers })).project!.id;
  const users = createClient(UserService, t);
  const members = createClient(MembershipService, t);
  let userId = "";
  for (let i = 0; i < 200; i++) {
    userId = (await users.createUser({ email: `u${i}@b.test`, firstName: "U", lastName: String(i) }, { headers })).user!.id;
    await members.addProjectMember({ projectId, userId, roles: ["viewer"] }, { headers });
  }
  const req = create(CheckAccessRequestSchema, { projectId, subject: { case: "userId", value: userId }, permission: "project.read" });
  const bin = toBinary(CheckAccessRequestSchema, req);
  const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), Buffer.from(bin)]);
  frame.writeUInt32BE(bin.length, 1);
  writeFileSync(join(dir, "grpc.bin"), frame);
  writeFileSync(join(dir, "connect.json"), toJsonString(CheckAccessRequestSchema, req));
  const path = `${url}/membership.v1.MembershipService/CheckAccess`;
  for (const [name, file, contentType] of [
    ["CheckAccess gRPC h2c", "grpc.bin", "application/grpc"],
    ["CheckAccess Connect JSON h2c", "connect.json", "application/json"],
  ] as const) {
    const out = execFileSync("h2load", [
      "-n", requests, "-c", clients, "-m", streams, "-d", join(dir, file),
      "-H", `content-type: ${contentType}`, "-H", "te: trailers", "-H", `authorization: Bearer ${token}`, path,
    ]).toString();
    const line = (re: RegExp) => out.split("\n").find((l) => re.test(l))?.trim() ?? "";
    console.log(`${name}\n  ${line(/^finished in/)}\n  ${line(/^requests:/)}\n  ${line(/^status codes:/)}\n  ${line(/^time for request:/)}`);
  }
} finally {
  server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
