import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { ApiToken, appendToStream, AUDIT_STREAMS, endSessionsOf, openWorkOf, OpenWorkOf, Person } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { generateToken, hashToken } from '../auth/tokens';
import { findPage, Page, PaginationQueryDto } from '../common/pagination.dto';
import { requireActivePerson } from '../common/inactive-person';
import { fieldError } from '../common/validation';
import {
  CreatePersonDto,
  IssuedTokenView,
  IssueTokenDto,
  ListPeopleQueryDto,
  MAX_TOKEN_LIFETIME_DAYS,
  PersonView,
  TokenState,
  TokenView,
  UpdatePersonDto,
} from './people.dto';

/** Serialises changes of the management chain, so two concurrent edits cannot build a cycle. */
const HIERARCHY_LOCK = 42004;
const MAX_CHAIN_DEPTH = 1000;
/** Serialises changes that could leave no active admin (role changes, deactivations). */
const ADMINS_LOCK = 42005;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Roles that manage anyone's tokens (list, revoke); anyone manages their own. Issuing stays admin-only. */
const TOKEN_MANAGERS: ReadonlyArray<AuthenticatedPerson['role']> = ['admin', 'governance_lead'];

export function toPersonView(p: Person): PersonView {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    role: p.role,
    managerId: p.managerId ?? null,
    active: p.active,
    deactivatedAt: p.deactivatedAt ? p.deactivatedAt.toISOString() : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function tokenState(t: ApiToken, now = new Date()): TokenState {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export function toTokenView(t: ApiToken, now = new Date()): TokenView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: t.id,
    personId: t.personId,
    label: t.label,
    state: tokenState(t, now),
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: iso(t.lastUsedAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
  };
}

function describeOpenWork(w: OpenWorkOf): string[] {
  const part = (ids: string[], one: string, many: string) =>
    ids.length ? [`${ids.length} ${ids.length === 1 ? one : many} (${ids.join(', ')})`] : [];
  return [
    ...part(
      w.tasks.map((t) => t.id),
      'open task',
      'open tasks',
    ),
    ...part(
      w.incidents.map((i) => i.id),
      'open incident',
      'open incidents',
    ),
    ...part(
      w.nonconformities.map((n) => n.id),
      'open nonconformity',
      'open nonconformities',
    ),
    ...part(
      w.systems.map((x) => x.id),
      'AI system',
      'AI systems',
    ),
    ...part(
      w.directReports.map((x) => x.id),
      'active direct report',
      'active direct reports',
    ),
    ...part(
      w.controls.map((x) => x.id),
      'Annex A control',
      'Annex A controls',
    ),
    ...part(
      w.policies.map((x) => x.id),
      'AI policy',
      'AI policies',
    ),
  ];
}

@Injectable()
export class PeopleService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(dto: CreatePersonDto, actor: AuthenticatedPerson): Promise<PersonView> {
    return this.db.transaction(async (tx) => {
      if (dto.managerId) await this.requireManager(tx, dto.managerId);
      const repo = tx.getRepository(Person);
      const person = await repo.save(repo.create({ name: dto.name, email: dto.email, role: dto.role, managerId: dto.managerId ?? null }));
      await appendToStream(tx, AUDIT_STREAMS.person(person.id), {
        event: 'person.registered',
        onceFor: person.id,
        actorId: actor.id,
        detail: { name: person.name, email: person.email, role: person.role, managerId: person.managerId },
      });
      return toPersonView(person);
    });
  }

  async list(q: ListPeopleQueryDto): Promise<Page<PersonView>> {
    const where: FindOptionsWhere<Person> = {};
    if (q.role) where.role = q.role;
    if (q.managerId) where.managerId = q.managerId;
    return findPage(this.db.getRepository(Person), where, q, toPersonView);
  }

  async get(id: string): Promise<PersonView> {
    const p = await this.db.getRepository(Person).findOneBy({ id });
    if (!p) throw new NotFoundException(`person ${id} not found`);
    return toPersonView(p);
  }

  async update(id: string, dto: UpdatePersonDto, actor: AuthenticatedPerson): Promise<PersonView> {
    const given = (Object.keys(dto) as Array<keyof UpdatePersonDto>).filter((k) => dto[k] !== undefined);
    if (!given.length) throw fieldError('body', 'at least one of name, email, role, managerId, active is required');

    return this.db.transaction(async (tx) => {
      if (dto.role !== undefined || dto.active !== undefined) await tx.query('SELECT pg_advisory_xact_lock($1)', [ADMINS_LOCK]);
      if (dto.managerId !== undefined) await tx.query('SELECT pg_advisory_xact_lock($1)', [HIERARCHY_LOCK]);
      const repo = tx.getRepository(Person);
      const person = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!person) throw new NotFoundException(`person ${id} not found`);

      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const set = <K extends 'name' | 'email' | 'role' | 'managerId'>(key: K, value: Person[K] | undefined) => {
        if (value === undefined || value === person[key]) return;
        changes[key] = { from: person[key], to: value };
        person[key] = value;
      };

      if (dto.managerId !== undefined && dto.managerId !== person.managerId) {
        if (dto.managerId !== null) {
          if (dto.managerId === id) throw fieldError('managerId', 'a person cannot be their own manager');
          await this.requireManager(tx, dto.managerId);
          if (await this.isInChainOf(tx, dto.managerId, id)) {
            throw fieldError('managerId', `manager ${dto.managerId} reports (directly or not) to person ${id}: that would make a cycle`);
          }
        }
      }
      if (dto.role !== undefined && person.role === 'admin' && dto.role !== 'admin' && person.active) {
        if (!(await this.otherActiveAdmin(tx, id))) throw new ConflictException('cannot change the role of the last active admin');
      }
      const deactivating = dto.active === false && person.active;
      const reactivating = dto.active === true && !person.active;
      if (deactivating) await this.checkCanDeactivate(tx, person);

      set('name', dto.name);
      set('email', dto.email);
      set('role', dto.role);
      set('managerId', dto.managerId);
      if (!Object.keys(changes).length && !deactivating && !reactivating) return toPersonView(person);

      if (deactivating) {
        person.active = false;
        person.deactivatedAt = new Date();
      } else if (reactivating) {
        person.active = true;
        person.deactivatedAt = null;
      }
      const saved = await repo.save(person);
      if (Object.keys(changes).length) {
        await appendToStream(tx, AUDIT_STREAMS.person(id), {
          event: 'person.updated',
          actorId: actor.id,
          detail: { changes },
        });
      }
      if (deactivating) {
        // A CTE, so the driver answers the rows (an UPDATE alone answers [rows, count]).
        const revoked: Array<{ id: string }> = await tx.query(
          `WITH r AS (UPDATE api_tokens SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL RETURNING id, created_at)
           SELECT id FROM r ORDER BY created_at, id`,
          [id],
        );
        const endedSessions = await endSessionsOf(tx, id);
        await appendToStream(tx, AUDIT_STREAMS.person(id), {
          event: 'person.deactivated',
          actorId: actor.id,
          detail: { revokedTokenIds: revoked.map((r) => r.id), endedSessionIds: endedSessions },
        });
      } else if (reactivating) {
        await appendToStream(tx, AUDIT_STREAMS.person(id), { event: 'person.reactivated', actorId: actor.id, detail: {} });
      }
      return toPersonView(saved);
    });
  }

  async issueToken(personId: string, dto: IssueTokenDto, actor: AuthenticatedPerson): Promise<IssuedTokenView> {
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt) {
      const now = Date.now();
      if (expiresAt.getTime() <= now) throw fieldError('expiresAt', 'expiresAt must be in the future');
      if (expiresAt.getTime() > now + MAX_TOKEN_LIFETIME_DAYS * DAY_MS) {
        throw fieldError('expiresAt', `expiresAt must be at most ${MAX_TOKEN_LIFETIME_DAYS} days ahead`);
      }
    }
    return this.db.transaction(async (tx) => {
      // FOR SHARE: the person cannot be deactivated before this token is committed.
      const person = await tx.getRepository(Person).findOne({ where: { id: personId }, lock: { mode: 'pessimistic_read' } });
      if (!person) throw new NotFoundException(`person ${personId} not found`);
      if (!person.active) throw new ConflictException(`person ${personId} is deactivated: reactivate them before issuing a token`);
      const token = generateToken();
      const label = dto.label ?? '';
      const repo = tx.getRepository(ApiToken);
      const row = await repo.save(repo.create({ personId, tokenHash: hashToken(token), label, expiresAt }));
      await appendToStream(tx, AUDIT_STREAMS.person(personId), {
        event: 'token.issued',
        onceFor: row.id,
        actorId: actor.id,
        detail: { tokenId: row.id, label, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
      });
      return {
        token,
        id: row.id,
        personId,
        label,
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      };
    });
  }

  /** A person's tokens, oldest first, revoked and expired ones included; never the secret. */
  async listTokens(personId: string, q: PaginationQueryDto, actor: AuthenticatedPerson): Promise<Page<TokenView>> {
    this.mayManageTokensOf(personId, actor);
    const person = await this.db.getRepository(Person).findOneBy({ id: personId });
    if (!person) throw new NotFoundException(`person ${personId} not found`);
    const now = new Date();
    return findPage(this.db.getRepository(ApiToken), { personId }, q, (t) => toTokenView(t, now));
  }

  /** Revokes one token; revoking a revoked token answers it as it is (no second event). */
  async revokeToken(personId: string, tokenId: string, actor: AuthenticatedPerson): Promise<TokenView> {
    this.mayManageTokensOf(personId, actor);
    return this.db.transaction(async (tx) => {
      const person = await tx.getRepository(Person).findOneBy({ id: personId });
      if (!person) throw new NotFoundException(`person ${personId} not found`);
      const repo = tx.getRepository(ApiToken);
      const token = await repo.findOne({ where: { id: tokenId, personId }, lock: { mode: 'pessimistic_write' } });
      if (!token) throw new NotFoundException(`token ${tokenId} of person ${personId} not found`);
      if (token.revokedAt) return toTokenView(token);
      token.revokedAt = new Date();
      const saved = await repo.save(token);
      await appendToStream(tx, AUDIT_STREAMS.person(personId), {
        event: 'token.revoked',
        onceFor: tokenId,
        actorId: actor.id,
        detail: { tokenId, label: token.label },
      });
      return toTokenView(saved);
    });
  }

  private mayManageTokensOf(personId: string, actor: AuthenticatedPerson): void {
    if (actor.id === personId || TOKEN_MANAGERS.includes(actor.role)) return;
    throw new ForbiddenException(`only the person themselves, an admin or a governance lead may manage these tokens`);
  }

  private async otherActiveAdmin(tx: EntityManager, id: string): Promise<boolean> {
    const rows = await tx.query(`SELECT 1 FROM people WHERE role = 'admin' AND active AND id <> $1 LIMIT 1`, [id]);
    return rows.length > 0;
  }

  /** 409 for the bootstrap admin, the last active admin, and anyone who still owns open work, systems or reports. */
  private async checkCanDeactivate(tx: EntityManager, person: Person): Promise<void> {
    const bootstrap = await tx.query(
      `SELECT 1 FROM audit_events WHERE stream_id = $1 AND event = 'person.registered' AND detail->>'bootstrap' = 'true' LIMIT 1`,
      [AUDIT_STREAMS.person(person.id).streamId],
    );
    if (bootstrap.length) throw new ConflictException('the bootstrap admin cannot be deactivated');
    if (person.role === 'admin' && !(await this.otherActiveAdmin(tx, person.id))) {
      throw new ConflictException('the last active admin cannot be deactivated');
    }
    const work = await openWorkOf(tx, person.id);
    const parts = describeOpenWork(work);
    if (parts.length) {
      throw new ConflictException({
        message: `person ${person.id} still owns ${parts.join(', ')}: reassign or close them first`,
        openWork: work,
      });
    }
  }

  private requireManager(tx: EntityManager, managerId: string): Promise<void> {
    return requireActivePerson(tx, 'managerId', managerId, 'manager');
  }

  /** True when `personId` is `start` or one of the managers above `start`. */
  private async isInChainOf(tx: EntityManager, start: string, personId: string): Promise<boolean> {
    const rows = await tx.query(
      `WITH RECURSIVE chain(id, manager_id, depth) AS (
         SELECT id, manager_id, 1 FROM people WHERE id = $1
         UNION ALL
         SELECT p.id, p.manager_id, c.depth + 1 FROM people p JOIN chain c ON p.id = c.manager_id WHERE c.depth < $3
       )
       SELECT 1 FROM chain WHERE id = $2 LIMIT 1`,
      [start, personId, MAX_CHAIN_DEPTH],
    );
    return rows.length > 0;
  }
}
