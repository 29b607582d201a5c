/**
 * Runs the committed migrations against DATABASE_URL, then exits (0 on success, 1 on failure).
 * Two runs at once are safe: a session-level advisory lock, held on a dedicated connection
 * of the pool while the migrations run on another, serialises them; the second finds
 * nothing left to run.
 */
import 'reflect-metadata';
import { loadMigrateConfig } from '../../libs/config';
import { createDataSource } from '../../libs/persistence';

const MIGRATE_LOCK = 42002;

export async function runMigrations(url: string, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<string[]> {
  const ds = createDataSource(url, { poolSize: 3 });
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
    const ran = await ds.runMigrations({ transaction: 'each' });
    if (ran.length === 0) log('migrate: schema is up to date, nothing to run');
    for (const m of ran) log(`migrate: ran ${m.name}`);
    return ran.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]).catch(() => undefined);
    await lock.release().catch(() => undefined);
    await ds.destroy();
  }
}

if (require.main === module) {
  let url: string;
  try {
    url = loadMigrateConfig().databaseUrl;
  } catch (err) {
    process.stderr.write(`migrate: ${(err as Error).message}\n`);
    process.exit(1);
  }
  runMigrations(url).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`migrate: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
