import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Role } from '../../../libs/contracts';
import { AuthenticatedPerson } from './authenticated-person';
import { hashToken } from './tokens';

/** How often last_used_at is refreshed at most (a write per request would be wasteful). */
const LAST_USED_RESOLUTION = '1 minute';

type PersonRow = { id: string; name: string; email: string; role: Role };
const person = (row: PersonRow): AuthenticatedPerson => ({ id: row.id, name: row.name, email: row.email, role: row.role });

@Injectable()
export class AuthService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The person behind a bearer token, or null when unknown, revoked, expired, or the person is deactivated. */
  async authenticate(token: string): Promise<AuthenticatedPerson | null> {
    return (await this.findToken(token))?.person ?? null;
  }

  /** The token's id and its person, under the same rules as `authenticate`. */
  async findToken(token: string): Promise<{ tokenId: string; person: AuthenticatedPerson } | null> {
    const rows: Array<PersonRow & { token_id: string; stale: boolean }> = await this.db.query(
      `SELECT t.id AS token_id, p.id, p.name, p.email, p.role,
              (t.last_used_at IS NULL OR t.last_used_at < now() - interval '${LAST_USED_RESOLUTION}') AS stale
         FROM api_tokens t JOIN people p ON p.id = t.person_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND p.active`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.stale) {
      // Best effort: never fail a request over bookkeeping.
      this.db.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.token_id]).catch(() => undefined);
    }
    return { tokenId: row.token_id, person: person(row) };
  }

  /** The person of a live session cookie: not ended, not expired, the person active. */
  async authenticateSession(secret: string): Promise<{ person: AuthenticatedPerson; sessionId: string; expiresAt: string } | null> {
    const rows: Array<PersonRow & { session_id: string; expires_at: Date }> = await this.db.query(
      `SELECT s.id AS session_id, s.expires_at, p.id, p.name, p.email, p.role
         FROM web_sessions s JOIN people p ON p.id = s.person_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND p.active`,
      [hashToken(secret)],
    );
    const row = rows[0];
    return row ? { person: person(row), sessionId: row.session_id, expiresAt: row.expires_at.toISOString() } : null;
  }
}
