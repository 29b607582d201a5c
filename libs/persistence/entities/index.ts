/** TypeORM entities; each maps one table of the committed migrations. */
import { AiSystem } from './ai-system.entity';
import { ApiToken } from './api-token.entity';
import { AuditEvent } from './audit-event.entity';
import { IncidentRecord } from './incident-record.entity';
import { NonconformityRecord } from './nonconformity-record.entity';
import { OutboxEmail } from './outbox-email.entity';
import { Person } from './person.entity';
import { TaskRecord } from './task-record.entity';
import { Policy, PolicyReviewRecord } from './policy.entity';

export * from './person.entity';
export * from './api-token.entity';
export * from './ai-system.entity';
export * from './task-record.entity';
export * from './audit-event.entity';
export * from './outbox-email.entity';
export * from './incident-record.entity';
export * from './nonconformity-record.entity';
export * from './policy.entity';

export const ENTITIES = [
  Person,
  ApiToken,
  AiSystem,
  TaskRecord,
  AuditEvent,
  OutboxEmail,
  IncidentRecord,
  NonconformityRecord,
  Policy,
  PolicyReviewRecord,
];
