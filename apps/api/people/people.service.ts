import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { ApiToken, appendToStream, AUDIT_STREAMS, Person } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { generateToken, hashToken } from '../auth/tokens';
import { findPage, Page } from '../common/pagination.dto';
import { fieldError } from '../common/validation';
import { CreatePersonDto, IssuedTokenView, IssueTokenDto, ListPeopleQueryDto, PersonView, UpdatePersonDto } from './people.dto';

/** Serialises changes of the management chain, so two concurrent edits cannot build a cycle. */
const HIERARCHY_LOCK = 42004;
const MAX_CHAIN_DEPTH = 1000;

export function toPersonView(p: Person): PersonView {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    role: p.role,
    managerId: p.managerId ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
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
    if (!given.length) throw fieldError('body', 'at least one of name, email, role, managerId is required');

    return this.db.transaction(async (tx) => {
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
      if (dto.role !== undefined && person.role === 'admin' && dto.role !== 'admin') {
        const others = await tx.query(`SELECT 1 FROM people WHERE role = 'admin' AND id <> $1 LIMIT 1`, [id]);
        if (!others.length) throw new ConflictException('cannot change the role of the last admin');
      }

      set('name', dto.name);
      set('email', dto.email);
      set('role', dto.role);
      set('managerId', dto.managerId);
      if (!Object.keys(changes).length) return toPersonView(person);

      const saved = await repo.save(person);
      await appendToStream(tx, AUDIT_STREAMS.person(id), {
        event: 'person.updated',
        actorId: actor.id,
        detail: { changes },
      });
      return toPersonView(saved);
    });
  }

  async issueToken(personId: string, dto: IssueTokenDto, actor: AuthenticatedPerson): Promise<IssuedTokenView> {
    return this.db.transaction(async (tx) => {
      const person = await tx.getRepository(Person).findOneBy({ id: personId });
      if (!person) throw new NotFoundException(`person ${personId} not found`);
      const token = generateToken();
      const label = dto.label ?? '';
      const repo = tx.getRepository(ApiToken);
      const row = await repo.save(repo.create({ personId, tokenHash: hashToken(token), label }));
      await appendToStream(tx, AUDIT_STREAMS.person(personId), {
        event: 'token.issued',
        onceFor: row.id,
        actorId: actor.id,
        detail: { tokenId: row.id, label },
      });
      return { token, id: row.id, personId, label };
    });
  }

  private async requireManager(tx: EntityManager, managerId: string): Promise<void> {
    // FOR SHARE: the manager cannot disappear before this transaction commits.
    const rows = await tx.query(`SELECT 1 FROM people WHERE id = $1 FOR SHARE`, [managerId]);
    if (!rows.length) throw new NotFoundException(`manager ${managerId} not found`);
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
