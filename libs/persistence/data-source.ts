import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { InitialSchema1763880000000 } from './migrations/1763880000000-InitialSchema';
import { IncidentsAndNonconformities1764000000000 } from './migrations/1764000000000-IncidentsAndNonconformities';
import { PeopleAndTokenLifecycle1764100000000 } from './migrations/1764100000000-PeopleAndTokenLifecycle';
import { StatementOfApplicability1764200000000 } from './migrations/1764200000000-StatementOfApplicability';
import { InventoryRecertification1764300000000 } from './migrations/1764300000000-InventoryRecertification';
import { PolicyRegister1764330000000 } from './migrations/1764330000000-PolicyRegister';
import { AuditProgrammes1764310000000 } from './migrations/1764310000000-AuditProgrammes';
import { ManagementReviews1764320000000 } from './migrations/1764320000000-ManagementReviews';
import { WebSessions1764390000000 } from './migrations/1764390000000-WebSessions';
import { CalendarFeeds1764400000000 } from './migrations/1764400000000-CalendarFeeds';
import { TaskSubmissions1764410000000 } from './migrations/1764410000000-TaskSubmissions';
import { AuditStreamChains1764420000000 } from './migrations/1764420000000-AuditStreamChains';
import { SystemImports1764430000000 } from './migrations/1764430000000-SystemImports';
import { ListIndexes1764440000000 } from './migrations/1764440000000-ListIndexes';

export const MIGRATIONS = [
  InitialSchema1763880000000,
  IncidentsAndNonconformities1764000000000,
  PeopleAndTokenLifecycle1764100000000,
  StatementOfApplicability1764200000000,
  InventoryRecertification1764300000000,
  PolicyRegister1764330000000,
  AuditProgrammes1764310000000,
  ManagementReviews1764320000000,
  WebSessions1764390000000,
  CalendarFeeds1764400000000,
  TaskSubmissions1764410000000,
  AuditStreamChains1764420000000,
  SystemImports1764430000000,
  ListIndexes1764440000000,
];

/** The one way to reach PostgreSQL. The schema comes from committed migrations only. */
export function createDataSource(url: string, opts: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    extra: { max: opts.poolSize ?? 10 },
  });
}
