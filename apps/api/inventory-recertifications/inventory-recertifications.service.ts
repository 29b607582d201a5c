import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { confirmSystemsUpdate, orgRoundWorkflowId, RecertificationOwnerView } from '../../../libs/contracts';
import { recertificationRound, RecertificationRoundRecord } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { executeUpdate } from '../common/workflow-updates';
import { ConfirmSystemsDto } from './inventory-recertifications.dto';

@Injectable()
export class InventoryRecertificationsService {
  constructor(
    private readonly client: Client,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The round per owner: the task, the systems confirmed and those not (due or stale by the one rule). */
  async get(period: string): Promise<RecertificationRoundRecord> {
    const round = await recertificationRound(this.db, period);
    if (!round) throw new NotFoundException(`no inventory recertification round ${period}`);
    return round;
  }

  /**
   * The owner's confirmations go through the round (one Update): it checks the systems are the
   * caller's and in the round, records each, and once all are confirmed answers when the owner's
   * task has recorded the submission.
   */
  confirm(period: string, dto: ConfirmSystemsDto, person: AuthenticatedPerson): Promise<RecertificationOwnerView> {
    const roundId = orgRoundWorkflowId('inventory-recertification', period);
    return executeUpdate(this.client, roundId, `inventory recertification round ${period}`, confirmSystemsUpdate, {
      by: { personId: person.id, role: person.role },
      systems: dto.systems.map((s) => ({ systemId: s.systemId, ...(s.note ? { note: s.note } : {}) })),
    });
  }
}
