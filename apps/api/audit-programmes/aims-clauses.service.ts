import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLAUSE_ID_PATTERN, isAimsClause } from '../../../libs/domain';
import { clauseForUpdate, ClauseRecord, currentClauses, writeClauseOwner } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { requireActivePerson } from '../common/inactive-person';
import { fieldError } from '../common/validation';
import { AimsClauseView, UpdateAimsClauseDto } from './aims-clauses.dto';

const CLAUSE_ID = new RegExp(CLAUSE_ID_PATTERN);

function toView(r: ClauseRecord): AimsClauseView {
  return {
    clause: r.clause,
    title: r.title,
    ownerId: r.ownerId,
    version: r.version,
    ...(r.version > 0 ? { updatedAt: r.updatedAt.toISOString() } : {}),
    updatedBy: r.updatedBy,
  };
}

/** The clause register: clauses 4-10 and who owns each (an auditor never audits a clause they own). */
@Injectable()
export class AimsClausesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(): Promise<AimsClauseView[]> {
    return (await currentClauses(this.db)).map(toView);
  }

  async update(clause: string, dto: UpdateAimsClauseDto, actor: AuthenticatedPerson): Promise<AimsClauseView> {
    if (!CLAUSE_ID.test(clause)) throw fieldError('clause', 'clause must be one of the clauses 4 to 10 of ISO/IEC 42001');
    if (!isAimsClause(clause)) throw new NotFoundException(`ISO/IEC 42001 has no clause ${clause} in 4-10`);
    return this.db.transaction(async (tx) => {
      const current = await clauseForUpdate(tx, clause);
      if (!current) throw new NotFoundException(`clause ${clause} not found`);
      if (dto.ownerId === current.ownerId) return toView(current);
      if (dto.ownerId) await requireActivePerson(tx, 'ownerId', dto.ownerId, 'owner');
      return toView(await writeClauseOwner(tx, current, dto.ownerId, actor.id, new Date()));
    });
  }
}
