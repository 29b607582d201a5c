/**
 * Which emails SMTP accepted in an activity execution, kept where a retry sees it even while
 * PostgreSQL is down: the activity's Temporal heartbeat details, which the server keeps across
 * the attempts of one execution.
 *
 * Why this reaches the server before a failed attempt is retried (@temporalio/worker and
 * sdk-core 1.24): every heartbeat is stored by core as the attempt's last details as it is
 * recorded, throttled or not; when the attempt fails, the worker first flushes a pending
 * heartbeat to core, and core sends those last details with the failure itself
 * (RespondActivityTaskFailed.last_heartbeat_details). The first heartbeat of an attempt is
 * also sent at once, later ones at most every 30 s (no heartbeatTimeout is set), which is
 * within the attempt's startToCloseTimeout when an attempt hangs instead of failing.
 *
 * Heartbeat details are stored by Temporal unencrypted: they hold SHA-256 digests of the
 * outbox idempotency keys (the digest the Message-ID carries), never task ids or addresses.
 */
import { createHash } from 'crypto';
import { asyncLocalStorage } from '@temporalio/activity';
import type { SentLedger } from './ports';

/** The heartbeat details of a notify execution. */
export interface SentLedgerDetails {
  /** `sentDigest` of each email SMTP accepted in this execution. */
  sent: string[];
}

/** What the details carry for an idempotency key (as in its Message-ID: libs/notifications). */
export function sentDigest(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
}

function earlierDigests(details: unknown): string[] {
  const sent = (details as Partial<SentLedgerDetails> | undefined)?.sent;
  return Array.isArray(sent) ? sent.filter((d): d is string => typeof d === 'string') : [];
}

/** A ledger over a set, told of every change (`record`): the Temporal one records a heartbeat. */
function ledgerOver(sent: Set<string>, record: (details: SentLedgerDetails) => void): SentLedger {
  return {
    has: (idempotencyKey) => sent.has(sentDigest(idempotencyKey)),
    add(idempotencyKey) {
      sent.add(sentDigest(idempotencyKey));
      record({ sent: [...sent] });
    },
  };
}

/**
 * The ledger of the running activity execution: what earlier attempts recorded in their
 * heartbeat details, added to by heartbeats. Outside an activity (a direct call in a unit
 * test) it remembers for the one call only.
 */
export function temporalSentLedger(): SentLedger {
  const context = asyncLocalStorage.getStore();
  if (!context) return ledgerOver(new Set(), () => undefined);
  const sent = new Set(earlierDigests(context.info.heartbeatDetails));
  // Carried into this attempt's own details at once: if this attempt fails too (the database
  // still down, before any send), its failure reports them again. The Temporal server keeps
  // the earlier details when a failure carries none (seen with the dev server); this does
  // not depend on it.
  if (sent.size) context.heartbeat({ sent: [...sent] } satisfies SentLedgerDetails);
  return ledgerOver(sent, (details) => context.heartbeat(details));
}
