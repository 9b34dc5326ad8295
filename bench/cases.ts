// What is measured: the servers (targets) and the cases (scenario ×
// protocol × generator × targets). Each case runs its targets in turn,
// A B C A B C ..., so drift on a shared machine hits all of them alike.
import type { ProtocolId, ScenarioId } from "./requests.ts";

export type TargetId = "on" | "off" | "ref" | "const" | "const-ref";

const ours = (fastPath: "on" | "off") => (db: string, tok: string) =>
  ["src/main.ts", "--port", "0", "--db", db, "--token-file", tok, "--log-level", "error", "--fast-path", fastPath];

export const TARGETS: Record<TargetId, { label: string; usesDb: boolean; args: (db: string, tokenFile: string) => string[] }> = {
  on: { label: "ours, fast path on", usesDb: true, args: ours("on") },
  off: { label: "ours, fast path off", usesDb: true, args: ours("off") },
  ref: { label: "grpc-js reference", usesDb: true, args: (db) => ["bench/grpc-js-reference.ts", "--port", "0", "--db", db] },
  const: { label: "ours, constant handler", usesDb: false, args: () => ["bench/constant-server.ts", "--port", "0"] },
  "const-ref": { label: "grpc-js, constant handler", usesDb: false, args: () => ["bench/grpc-js-reference.ts", "--port", "0", "--constant"] },
};

export type GeneratorId = "h2load" | "node";

export interface Case {
  scenario: ScenarioId;
  protocol: ProtocolId;
  generator: GeneratorId;
  targets: TargetId[];
  /** A bound or a generator check, reported apart from the measured server. */
  bound: boolean;
}

const both: TargetId[] = ["on", "off"];
const withRef: TargetId[] = ["on", "off", "ref"];
const c = (scenario: ScenarioId, protocol: ProtocolId, generator: GeneratorId, targets: TargetId[], bound = false): Case => ({
  scenario,
  protocol,
  generator,
  targets,
  bound,
});

export const CASES: Case[] = [
  c("check-access", "grpc", "h2load", withRef),
  c("check-access", "connect-proto", "h2load", both),
  c("check-access", "connect-json", "h2load", both),
  c("check-access", "connect-proto-h1", "h2load", both),
  c("check-access", "connect-json-h1", "h2load", both),
  c("check-access", "grpc-web-h1", "h2load", both),
  c("list-memberships", "grpc", "h2load", withRef),
  c("list-memberships", "connect-json", "h2load", both),
  c("add-project-member", "grpc", "node", withRef),
  c("add-project-member", "connect-json", "node", both),
  c("update-identity-membership", "grpc", "node", withRef),
  c("update-identity-membership", "connect-json", "node", both),
  c("mix", "grpc", "node", withRef),
  c("mix", "connect-json", "node", both),
  // Bounds: the transports with a constant CheckAccess. The Node generator
  // against them shows how far above the measured figures it can go.
  c("check-access", "grpc", "h2load", ["const", "const-ref"], true),
  c("check-access", "connect-json", "h2load", ["const"], true),
  c("check-access", "connect-json-h1", "h2load", ["const"], true),
  c("check-access", "grpc", "node", ["const", "const-ref"], true),
  // The same CheckAccess load from both generators, to show they agree.
  c("check-access", "grpc", "node", ["on"], true),
];

export const caseKey = (k: Case) => `${k.scenario}/${k.protocol}/${k.generator}${k.bound ? "/bound" : ""}`;
