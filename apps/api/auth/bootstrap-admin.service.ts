import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { appendToStream, AUDIT_STREAMS } from '../../../libs/persistence';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';
import { generateToken, hashToken } from './tokens';

export const BOOTSTRAP_ADMIN_NAME = 'Bootstrap admin';
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@aims.local';
/** Serialises bootstrap across processes starting at once. */
const BOOTSTRAP_LOCK = 42003;

/**
 * On start-up: when no active person holds the admin role, create the bootstrap admin with a token
 * (AIMS_ADMIN_TOKEN, or a fresh one printed once). When an admin exists and AIMS_ADMIN_TOKEN
 * is set but unknown, register it for the oldest active admin.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.ensureAdmin();
    if (result.created) {
      const banner = '='.repeat(72);
      const line = result.generatedToken
        ? `Bootstrap admin token: ${result.generatedToken}`
        : 'Bootstrap admin token: the value of AIMS_ADMIN_TOKEN';
      process.stdout.write(
        `\n${banner}\n  Created the bootstrap admin (${BOOTSTRAP_ADMIN_EMAIL}).\n  ${line}\n` +
          `  It is shown only this once; issue more tokens with POST /people/:id/tokens.\n${banner}\n\n`,
      );
    } else if (result.registeredEnvToken) {
      this.logger.log(`Registered AIMS_ADMIN_TOKEN for admin ${result.adminId}`);
    }
  }

  async ensureAdmin(): Promise<{ created: boolean; adminId: string; generatedToken?: string; registeredEnvToken: boolean }> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      const admins: Array<{ id: string }> = await tx.query(
        `SELECT id FROM people WHERE role = 'admin' AND active ORDER BY created_at, id LIMIT 1`,
      );
      const envToken = this.config.adminToken;
      if (admins.length) {
        const adminId = admins[0].id;
        if (!envToken) return { created: false, adminId, registeredEnvToken: false };
        const inserted = await this.insertToken(tx, adminId, envToken, 'AIMS_ADMIN_TOKEN');
        return { created: false, adminId, registeredEnvToken: inserted };
      }
      const email = await this.freeEmail(tx);
      const [person]: Array<{ id: string }> = await tx.query(
        `INSERT INTO people (name, email, role) VALUES ($1, $2, 'admin') RETURNING id`,
        [BOOTSTRAP_ADMIN_NAME, email],
      );
      await appendToStream(tx, AUDIT_STREAMS.person(person.id), {
        event: 'person.registered',
        onceFor: person.id,
        actorId: null,
        detail: { name: BOOTSTRAP_ADMIN_NAME, email, role: 'admin', managerId: null, bootstrap: true },
      });
      const token = envToken ?? generateToken();
      await this.insertToken(tx, person.id, token, envToken ? 'AIMS_ADMIN_TOKEN' : 'bootstrap');
      return { created: true, adminId: person.id, generatedToken: envToken ? undefined : token, registeredEnvToken: !!envToken };
    });
  }

  /** admin@aims.local, unless someone (not an admin) already has it. */
  private async freeEmail(tx: EntityManager): Promise<string> {
    const taken = await tx.query(`SELECT 1 FROM people WHERE lower(email) = lower($1)`, [BOOTSTRAP_ADMIN_EMAIL]);
    return taken.length ? `admin+${randomUUID().slice(0, 8)}@aims.local` : BOOTSTRAP_ADMIN_EMAIL;
  }

  private async insertToken(tx: EntityManager, personId: string, token: string, label: string): Promise<boolean> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO api_tokens (person_id, token_hash, label) VALUES ($1, $2, $3)
       ON CONFLICT (token_hash) DO NOTHING RETURNING id`,
      [personId, hashToken(token), label],
    );
    if (!rows.length) return false;
    await appendToStream(tx, AUDIT_STREAMS.person(personId), {
      event: 'token.issued',
      onceFor: rows[0].id,
      actorId: null,
      detail: { tokenId: rows[0].id, label },
    });
    return true;
  }
}
