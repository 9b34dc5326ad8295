// Composition root: the only file that knows transport, domain and storage.
import { readFileSync } from "node:fs";
import { createAuthenticator } from "./access/authenticator.ts";
import { createResourceAccess } from "./access/resource-access.ts";
import { createAccessService } from "./access/check-access.ts";
import { createAuditChainService } from "./audit/audit-chain-service.ts";
import { createAuditService } from "./audit/audit-service.ts";
import { bootstrapIfEmpty, type BootstrapResult } from "./tokens/bootstrap-admin.ts";
import { createChangeNotifier } from "./audit/change-notifier.ts";
import { systemClock, type Clock } from "./kernel/clock.ts";
import type { Deps } from "./kernel/deps.ts";
import { createIdGenerator } from "./kernel/ids.ts";
import { createIdentityService } from "./principals/identity-service.ts";
import { createMembershipService } from "./membership/membership-service.ts";
import { createMembershipOrgSearch } from "./membership/membership-org-search.ts";
import { createIdentityMemberSearch } from "./membership/membership-identity-search.ts";
import { createRoleSetService } from "./membership/membership-role-sets.ts";
import { createOrganizationService } from "./organizations/organization-service.ts";
import { createOrganizationLifecycle } from "./organizations/organization-lifecycle.ts";
import { createOrgMemberService } from "./organizations/org-member-service.ts";
import { createOrgMemberRoles } from "./organizations/org-member-roles.ts";
import { createProjectRoleService } from "./projects/project-role-service.ts";
import { createProjectService } from "./projects/project-service.ts";
import { createTokenService } from "./tokens/token-service.ts";
import { createUserService } from "./principals/user-service.ts";
import { createPrincipalLookup } from "./principals/principal-lookup.ts";
import type { Config } from "./config.ts";
import { createLogger, type Logger } from "./logger.ts";
import { redactUrl } from "./store/db-connection.ts";
import { openStore } from "./store/open-store.ts";
import { writeNewSecretFile } from "./tokens/secret-file.ts";
import { createHealthState } from "./edge/health-service.ts";
import { createHttpApis, createRoutes } from "./routes.ts";
import { serveRoutes } from "./edge/serve-routes.ts";
import { shutdownReason } from "./rpc/stream-end.ts";
import { createObservability } from "./observability/observability.ts";

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Set on the start that bootstrapped an empty database. */
  readonly bootstrap: BootstrapResult | null;
  /** Where that start wrote the administrator's token, or null. */
  readonly tokenFile: string | null;
  /** Where GET /metrics is answered when it has a port of its own, or null. */
  readonly metricsUrl: string | null;
  readonly deps: Deps;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** The built web console to serve at /console/; dist/console beside the server unless set. */
  consoleDir?: string;
}

export function createServices(deps: Deps) {
  return {
    organizations: createOrganizationService(deps),
    orgLifecycle: createOrganizationLifecycle(deps),
    orgMembers: createOrgMemberService(deps),
    orgMemberRoles: createOrgMemberRoles(deps),
    users: createUserService(deps),
    identities: createIdentityService(deps),
    principals: createPrincipalLookup(deps),
    tokens: createTokenService(deps),
    projects: createProjectService(deps),
    roles: createProjectRoleService(deps),
    memberships: createMembershipService(deps),
    roleSets: createRoleSetService(deps),
    membershipSearch: createMembershipOrgSearch(deps),
    identityMemberSearch: createIdentityMemberSearch(deps),
    resources: createResourceAccess(deps),
    access: createAccessService(deps),
    audit: createAuditService(deps),
    auditChain: createAuditChainService(deps),
  };
}
export type Services = ReturnType<typeof createServices>;

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const observability = createObservability(config.metrics, log);
  const changes = createChangeNotifier();
  const health = createHealthState();
  // Serving until close, and only while the database answers (PostgreSQL; a SQLite file always does).
  const serving = { open: true, dbReachable: true };
  const updateHealth = () => health.setServing(serving.open && serving.dbReachable);
  // Another process's commits (a second server, an offline command) wake change streams too.
  const store = await openStore(config.db, {
    connection: config.dbConnection,
    onExternalCommit: () => changes.notify(),
    onReachable: (reachable) => ((serving.dbReachable = reachable), updateHealth()),
    log,
    onTransaction: observability.onTransaction,
  });
  const deps: Deps = { store, clock, ids: createIdGenerator(() => clock.now()), changes };
  try {
    const services = createServices(deps);
    const shutdown = new AbortController();
    const routes = createRoutes(services, health);
    const tls = config.tlsCert && config.tlsKey ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : undefined;
    const listener = await serveRoutes({
      ...config,
      tls,
      routes,
      httpApis: createHttpApis(services),
      callDeps: { repos: store.read, clock, log, auth: createAuthenticator({ ...config, repos: store.read, clock, log }) },
      observability: observability.edge,
      health,
      shutdown: shutdown.signal,
      log,
      consoleDir: opts.consoleDir,
    });
    const metricsListener = await observability.listen().catch(async (err: unknown) => {
      await listener.close(0);
      throw err;
    });
    // Bootstrap only once the port is ours: a start that cannot bind must
    // not leave a bootstrapped database whose only token was never written.
    const bootstrap = await bootstrapIfEmpty(deps, { orgName: "Default organization", adminEmail: "admin@localhost" }).catch(async (err: unknown) => {
      await listener.close(0);
      throw err;
    });
    const tokenFile = bootstrap && config.tokenFile ? writeNewSecretFile(config.tokenFile, bootstrap.secret + "\n") : null;
    if (bootstrap) log.info("bootstrapped an empty database", { organizationId: bootstrap.organizationId, adminUserId: bootstrap.userId, tokenFile });
    if (tokenFile !== null && tokenFile !== config.tokenFile) log.warn("kept the existing token file; wrote the new token beside it", { kept: config.tokenFile, tokenFile });
    updateHealth();
    // Milliseconds since the process started: what a restart costs.
    log.info("listening", { url: listener.url, db: redactUrl(config.db), metrics: metricsListener?.url, startupMs: Math.round(performance.now()) });
    let closing: Promise<void> | null = null;
    return {
      url: listener.url,
      host: listener.host,
      port: listener.port,
      bootstrap,
      tokenFile,
      metricsUrl: metricsListener?.url ?? null,
      deps,
      close() {
        closing ??= (async () => {
          serving.open = false;
          updateHealth();
          // One turn of the event loop lets Health.Watch streams send NOT_SERVING before they end.
          await new Promise((r) => setImmediate(r));
          shutdown.abort(shutdownReason());
          changes.close();
          await listener.close(config.shutdownGraceMs);
          await metricsListener?.close();
          await store.end();
          log.info("stopped");
        })();
        return closing;
      },
    };
  } catch (err) {
    await store.end();
    throw err;
  }
}
