/**
 * The one writer of sign-in links and web sessions. Secrets arrive hashed; a link is used at
 * most once (one conditional UPDATE), and starting or ending a session is recorded in the
 * person's audit stream in the same transaction.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { appendToStream, AUDIT_STREAMS } from './audit-streams';

export type SessionMethod = 'sign-in-link' | 'api-token';

/** What a session cookie stands for: an active person and when the session ends. */
export interface WebSessionPerson {
  sessionId: string;
  personId: string;
  expiresAt: string;
}

/** Stores a one-time sign-in link for an active person; null when no active person has the address. */
export async function createSignInLink(
  db: DataSource,
  args: { email: string; tokenHash: string; nextPath?: string; ttlMinutes: number; maxOpen: number },
): Promise<
  { personId: string; name: string; email: string; linkId: string; expiresAt: string } | { personId: string; throttled: true } | null
> {
  return db.transaction(async (tx) => {
    const people: Array<{ id: string; name: string; email: string }> = await tx.query(
      `SELECT id, name, email FROM people WHERE lower(email) = lower($1) AND active FOR UPDATE`,
      [args.email],
    );
    const person = people[0];
    if (!person) return null;
    const [{ open }]: Array<{ open: number }> = await tx.query(
      `SELECT count(*)::int AS open FROM sign_in_links WHERE person_id = $1 AND used_at IS NULL AND expires_at > now()`,
      [person.id],
    );
    // A flood of requests for someone's address must not flood their inbox.
    if (open >= args.maxOpen) return { personId: person.id, throttled: true };
    const [link]: Array<{ id: string; expires_at: Date }> = await tx.query(
      `INSERT INTO sign_in_links (person_id, token_hash, next_path, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4)) RETURNING id, expires_at`,
      [person.id, args.tokenHash, args.nextPath ?? null, args.ttlMinutes],
    );
    return { personId: person.id, name: person.name, email: person.email, linkId: link.id, expiresAt: link.expires_at.toISOString() };
  });
}

/** Forgets a link whose email could not be sent, so it does not count against the person. */
export async function discardSignInLink(db: DataSource, linkId: string): Promise<void> {
  await db.query(`DELETE FROM sign_in_links WHERE id = $1 AND used_at IS NULL`, [linkId]);
}

async function insertSession(
  tx: EntityManager,
  personId: string,
  args: { tokenHash: string; method: SessionMethod; ttlHours: number; detail: Record<string, unknown> },
): Promise<WebSessionPerson> {
  const [row]: Array<{ id: string; expires_at: Date }> = await tx.query(
    `INSERT INTO web_sessions (person_id, token_hash, method, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING id, expires_at`,
    [personId, args.tokenHash, args.method, args.ttlHours],
  );
  await appendToStream(tx, AUDIT_STREAMS.person(personId), {
    event: 'session.started',
    onceFor: row.id,
    actorId: personId,
    detail: { sessionId: row.id, method: args.method, expiresAt: row.expires_at.toISOString(), ...args.detail },
  });
  return { sessionId: row.id, personId, expiresAt: row.expires_at.toISOString() };
}

/**
 * Uses a sign-in link (unused, unexpired, its person active) and opens a session, in one
 * transaction: of two requests with the same link, exactly one gets a session.
 */
export async function startSessionFromLink(
  db: DataSource,
  args: { linkHash: string; sessionHash: string; ttlHours: number },
): Promise<(WebSessionPerson & { nextPath?: string }) | null> {
  return db.transaction(async (tx) => {
    const used: Array<{ id: string; person_id: string; next_path: string | null }> = await tx.query(
      // A CTE: TypeORM answers a bare UPDATE ... RETURNING as [rows, count].
      `WITH used AS (
         UPDATE sign_in_links l SET used_at = now()
          WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > now()
            AND EXISTS (SELECT 1 FROM people p WHERE p.id = l.person_id AND p.active)
          RETURNING l.id, l.person_id, l.next_path)
       SELECT * FROM used`,
      [args.linkHash],
    );
    const link = used[0];
    if (!link) return null;
    const session = await insertSession(tx, link.person_id, {
      tokenHash: args.sessionHash,
      method: 'sign-in-link',
      ttlHours: args.ttlHours,
      detail: { signInLinkId: link.id },
    });
    return { ...session, ...(link.next_path ? { nextPath: link.next_path } : {}) };
  });
}

/** Opens a session for the (already authenticated) holder of an API token. */
export async function startSessionFromToken(
  db: DataSource,
  args: { personId: string; tokenId: string; sessionHash: string; ttlHours: number },
): Promise<WebSessionPerson> {
  return db.transaction((tx) =>
    insertSession(tx, args.personId, {
      tokenHash: args.sessionHash,
      method: 'api-token',
      ttlHours: args.ttlHours,
      detail: { tokenId: args.tokenId },
    }),
  );
}

/** Ends a session (sign-out); false when it had already ended. */
export async function endSession(db: DataSource, sessionId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows: Array<{ person_id: string }> = await tx.query(
      `WITH ended AS (UPDATE web_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING person_id)
       SELECT * FROM ended`,
      [sessionId],
    );
    if (!rows.length) return false;
    await appendToStream(tx, AUDIT_STREAMS.person(rows[0].person_id), {
      event: 'session.ended',
      onceFor: sessionId,
      actorId: rows[0].person_id,
      detail: { sessionId },
    });
    return true;
  });
}

/** Ends every live session of a person (deactivation), inside the caller's transaction; the ids ended. */
export async function endSessionsOf(tx: EntityManager, personId: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await tx.query(
    `WITH ended AS (UPDATE web_sessions SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL RETURNING id, created_at)
     SELECT id FROM ended ORDER BY created_at, id`,
    [personId],
  );
  return rows.map((r) => r.id);
}
