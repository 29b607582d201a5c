import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Role } from '../../../libs/contracts';
import { AuthenticatedPerson } from './authenticated-person';
import { hashToken } from './tokens';

/** How often last_used_at is refreshed at most (a write per request would be wasteful). */
const LAST_USED_RESOLUTION = '1 minute';

@Injectable()
export class AuthService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The person behind a bearer token, or null when unknown, revoked, expired, or the person is deactivated. */
  async authenticate(token: string): Promise<AuthenticatedPerson | null> {
    const rows: Array<{ token_id: string; id: string; name: string; email: string; role: Role; stale: boolean }> = await this.db.query(
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
    return { id: row.id, name: row.name, email: row.email, role: row.role };
  }
}
