// What is measured: the servers (targets) and the cases (scenario ×
// protocol × generator × targets). Each case runs its targets in turn,
// A B C A B C ..., so drift on a shared machine hits all of them alike.
import type { ProtocolId, ScenarioId } from "./requests.ts";

export type TargetId = "on" | "off" | "ref" | "const" | "const-ref";

export const TARGETS: Record<TargetId, { label: string; args: (db: string, tokenFile: string) => string[] }> = {
  on: { label: "ours, fast path on", args: (db, tok) => ["src/main.ts", "--port", "0", "--db", db, "--token-file", tok, "--log-level", "error", "--fast-path", "on"] },
  off: { label: "ours, fast path off", args: (db, tok) => ["src/main.ts", "--port", "0", "--db", db, "--token-file", tok, "--log-level", "error", "--fast-path", "off"] },
  ref: { label: "grpc-js reference", args: (db) => ["bench/grpc-js-reference.ts", "--port", "0", "--db", db] },
  const: { label: "ours, constant handler", args: () => ["bench/constant-server.ts", "--port", "0"] },
  "const-ref": { label: "grpc-js, constant handler", args: () => ["bench/grpc-js-reference.ts", "--port", "0", "--constant"] },
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

const ours: TargetId[] = ["on", "off"];
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
  c("check-access", "connect-proto", "h2load", ours),
  c("check-access", "connect-json", "h2load", ours),
  c("check-access", "connect-proto-h1", "h2load", ours),
  c("check-access", "connect-json-h1", "h2load", ours),
  c("check-access", "grpc-web-h1", "h2load", ours),
  c("list-memberships", "grpc", "h2load", withRef),
  c("list-memberships", "connect-json", "h2load", ours),
  c("add-project-member", "grpc", "node", withRef),
  c("add-project-member", "connect-json", "node", ours),
  c("update-identity-membership", "grpc", "node", withRef),
  c("update-identity-membership", "connect-json", "node", ours),
  c("mix", "grpc", "node", withRef),
  c("mix", "connect-json", "node", ours),
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
