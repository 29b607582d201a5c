import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ScheduleNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { CADENCE_KINDS, cadenceId, parseCadenceId } from '../../../libs/domain';
import { appendToStream, AUDIT_STREAMS } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { fieldError } from '../common/validation';
import { CadenceReconciler } from './cadence-reconciler';
import { cadenceView, CadenceView } from './schedule-spec';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `parseCadencePathId` as a JSON Schema pattern (for the OpenAPI document). */
export const CADENCE_ID_PATTERN = `^(${CADENCE_KINDS.join('|')}):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`;

const READ_DEADLINE_MS = 5_000;

export type CadenceAction = 'triggered' | 'paused' | 'unpaused';

/** A cadence id from the path: `<kind>:<systemId>` with a known kind and a UUID; else a 400 on `id`. */
export function parseCadencePathId(id: string): { kind: (typeof CADENCE_KINDS)[number]; systemId: string } {
  const parsed = id.length <= 200 ? parseCadenceId(id) : undefined;
  if (!parsed || !UUID.test(parsed.systemId)) {
    throw fieldError('id', `id must be a cadence id: <${CADENCE_KINDS.join('|')}>:<system UUID>`);
  }
  return parsed;
}

@Injectable()
export class CadencesService {
  constructor(
    private readonly client: Client,
    private readonly reconciler: CadenceReconciler,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The Schedules Temporal has for a system (404 when the system is unknown). */
  async listForSystem(systemId: string): Promise<CadenceView[]> {
    const rows = await this.db.query(`SELECT 1 FROM ai_systems WHERE id = $1`, [systemId]);
    if (!rows.length) throw new NotFoundException(`AI system ${systemId} not found`);
    // A read: answer within a bounded time when Temporal is down (503), rather than after every gRPC retry.
    const described = await this.client.withDeadline(Date.now() + READ_DEADLINE_MS, () =>
      Promise.all(CADENCE_KINDS.map((kind) => this.reconciler.describe(cadenceId(kind, systemId)))),
    );
    return described.filter((d): d is NonNullable<typeof d> => !!d).map(cadenceView);
  }

  async trigger(id: string, actor: AuthenticatedPerson): Promise<{ cadenceId: string; triggeredAt: string }> {
    const at = new Date();
    await this.act(id, 'triggered', actor, undefined, (h) => h.trigger());
    return { cadenceId: id, triggeredAt: at.toISOString() };
  }

  async pause(id: string, actor: AuthenticatedPerson, note?: string): Promise<CadenceView> {
    const text = note || `Paused by ${actor.name}`;
    await this.act(id, 'paused', actor, note, (h) => h.pause(text));
    return this.view(id);
  }

  async unpause(id: string, actor: AuthenticatedPerson, note?: string): Promise<CadenceView> {
    const text = note || `Unpaused by ${actor.name}`;
    await this.act(id, 'unpaused', actor, note, (h) => h.unpause(text));
    return this.view(id);
  }

  private async view(id: string): Promise<CadenceView> {
    const desc = await this.reconciler.describe(id);
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    return cadenceView(desc);
  }

  /**
   * 404 unless the Schedule exists; then the audit event and the Temporal call in one
   * transaction: if Temporal refuses, the event is rolled back (nothing left behind).
   */
  private async act(
    id: string,
    action: CadenceAction,
    actor: AuthenticatedPerson,
    note: string | undefined,
    call: (h: ReturnType<Client['schedule']['getHandle']>) => Promise<void>,
  ): Promise<void> {
    const { kind, systemId } = parseCadencePathId(id);
    const desc = await this.reconciler.describe(id);
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    if (action === 'paused' && desc.state.paused) throw new ConflictException(`cadence ${id} is already paused`);
    if (action === 'unpaused' && !desc.state.paused) throw new ConflictException(`cadence ${id} is not paused`);
    await this.db.transaction(async (tx) => {
      await appendToStream(tx, AUDIT_STREAMS.cadence(id), {
        event: `cadence.${action}`,
        actorId: actor.id,
        detail: { cadenceId: id, kind, systemId, ...(note ? { note } : {}) },
      });
      try {
        await call(this.client.schedule.getHandle(id));
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) throw new NotFoundException(`cadence ${id} not found`);
        throw err;
      }
    });
  }
}
