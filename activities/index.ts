/**
 * The activities behind `GovernanceActivities`, built from ports so tests pass fakes of the
 * outside world and production passes PostgreSQL and SMTP (see postgres.ts).
 */
import type {
  AuditProgrammeActivities,
  CycleSystem,
  GovernanceActivities,
  ManagementReviewActivities,
  NotifiedRecipient,
  PolicyActivities,
  NotifyInput,
  NotifyResult,
  RecordTransitionInput,
} from '../libs/contracts';
import type { EscalationLevel } from '../libs/domain';
import { messageIdFor, renderNotification } from '../libs/notifications';
import type { ActivityDeps, OutboxMessage, Person, SentLedger } from './ports';
import { createAuditProgrammeActivities } from './audit-programme';
import { resolveChain } from './escalation-chain';
import { createManagementReviewActivities } from './management-review';
import { temporalSentLedger } from './sent-ledger';
import { createRecertificationActivities } from './inventory-recertification';
import { createPolicyActivities } from './policies';

export * from './ports';
export { CHAIN_ROLES, resolveChain } from './escalation-chain';
export type { RecertificationPort } from './inventory-recertification';
export { createPolicyActivities, createPostgresPolicyRecords } from './policies';
export type { PolicyRecords } from './policies';
export type { AuditProgrammeRecords } from './audit-programme';
export { sentDigest, temporalSentLedger } from './sent-ledger';
export type { SentLedgerDetails } from './sent-ledger';

/** How often marking an email sent is retried in-process before the activity fails. */
const MARK_SENT_ATTEMPTS = 4;

export function outboxKey(taskId: string, notificationKey: string, email: string): string {
  return `${taskId}/${notificationKey}/${email.toLowerCase()}`;
}

async function withRetries<T>(attempts: number, fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      if (i < attempts - 1) await new Promise((r) => setTimeout(r, 100 * 2 ** i));
    }
  }
  throw last;
}

export function createActivities(
  deps: ActivityDeps,
): GovernanceActivities & PolicyActivities & AuditProgrammeActivities & ManagementReviewActivities {
  const openLedger = deps.sentLedger ?? temporalSentLedger;

  /**
   * Sends one email exactly once per idempotency key: outbox row before, marked sent after.
   * Between the two, the accepted send goes into the execution's ledger, so when the mark
   * fails (the database died after SMTP accepted the email) a retry only marks it.
   */
  async function sendOnce(message: OutboxMessage, ledger: SentLedger): Promise<void> {
    const markSent = () => withRetries(MARK_SENT_ATTEMPTS, () => deps.outbox.markSent(message.idempotencyKey));
    if (ledger.has(message.idempotencyKey)) {
      // Sent by an earlier attempt; no claim, which would count a send attempt that is not made.
      await markSent();
      return;
    }
    const claim = await deps.outbox.claim(message);
    if (claim.status === 'sent') return;
    await deps.outbox.deliver(claim.stored);
    ledger.add(message.idempotencyKey);
    await markSent();
    if (deps.afterSend) await deps.afterSend(message.idempotencyKey);
  }

  async function notify(input: NotifyInput): Promise<NotifyResult> {
    const ledger = openLedger();
    const { holders, unfilled: unfilledLevels, owner } = await resolveChain(deps, input.ownerId, input.levels);
    const recipients: NotifiedRecipient[] = [];
    const seen = new Set<string>();
    const targets: Array<{ person: Person; level: EscalationLevel }> = [];
    for (const { level, people } of holders) {
      for (const person of people) {
        // One email per person, at the lowest level they hold in this notification.
        if (seen.has(person.id)) continue;
        seen.add(person.id);
        targets.push({ person, level });
      }
    }
    for (const { person, level } of targets) {
      const rendered = renderNotification({
        kind: input.kind,
        taskId: input.taskId,
        task: input.task,
        at: input.at,
        recipient: { name: person.name, level },
        owner: owner ? { name: owner.name, email: owner.email } : { name: `person ${input.ownerId}` },
        note: input.note,
        unfilledLevels,
        appUrl: deps.publicUrl,
      });
      const idempotencyKey = outboxKey(input.taskId, input.notificationKey, person.email);
      await sendOnce(
        {
          idempotencyKey,
          messageId: messageIdFor(idempotencyKey),
          recipientPersonId: person.id,
          to: person.email,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
        },
        ledger,
      );
      recipients.push({ personId: person.id, email: person.email, level });
    }
    const result: NotifyResult = { recipients, unfilledLevels };
    if (deps.onNotified) await deps.onNotified(input, result);
    return result;
  }

  async function recordTransition(input: RecordTransitionInput): Promise<void> {
    await deps.records.record(input);
  }

  async function loadCycleSystem(systemId: string): Promise<CycleSystem | null> {
    return deps.systems.find(systemId);
  }

  return {
    notify,
    recordTransition,
    loadCycleSystem,
    loadPeopleByRole: async (role) => (await deps.directory.peopleByRole(role)).map(({ id, name }) => ({ id, name })),
    recordIncident: (input) => deps.cases.recordIncident(input),
    recordNonconformity: (input) => deps.cases.recordNonconformity(input),
    ...createRecertificationActivities(deps),
    ...createPolicyActivities(deps),
    ...createAuditProgrammeActivities(deps.auditProgrammes),
    ...createManagementReviewActivities(deps.managementReviews),
  };
}
