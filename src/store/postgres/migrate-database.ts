// `membership-server migrate` on PostgreSQL: the schema version before and
// after, on a pool of one connection that is closed again.
import { redactUrl, StoreOpenError, type DbConnection } from "../db-connection.ts";
import { migratePostgres, schemaVersion } from "./migrations.ts";
import { createPgPool } from "./pg-pool.ts";

export async function migratePostgresDatabase(url: string, connection: DbConnection): Promise<{ from: number; to: number }> {
  const pool = createPgPool(url, { ...connection, poolSize: 1 }, () => {});
  try {
    const from = await schemaVersion(pool);
    return { from, to: await migratePostgres(pool) };
  } catch (err) {
    throw new StoreOpenError(`cannot migrate the PostgreSQL database ${redactUrl(url)}: ${(err as Error).message}`);
  } finally {
    await pool.end();
  }
}
