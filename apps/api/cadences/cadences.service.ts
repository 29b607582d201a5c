import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ScheduleDescription, ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { randomUUID } from 'crypto';
import { roundOpenedUpdate, WORKFLOW_TYPES } from '../../../libs/contracts';
import {
  CADENCE_KINDS,
  cadenceId,
  CadenceKind,
  ORG_CADENCE_KINDS,
  orgCadenceId,
  OrgCadenceKind,
  OrgCadenceSetting,
  orgCadenceSettingProblems,
  parseCadenceId,
  parseOrgCadenceId,
} from '../../../libs/domain';
import { appendToStream, AUDIT_STREAMS } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { fieldError, ValidationFailedException } from '../common/validation';
import { startWithinTransaction } from '../common/workflow-start';
import type { WorkflowOf } from '../common/workflow-start';
import { awaitTaskOpened } from '../common/workflow-updates';
import { temporalHttpException } from '../common/temporal-errors';
import { CadenceListQueryDto, OrgCadenceSettingDto, OrgTriggeredView, TriggeredView } from './cadences.dto';
import { CadenceReconciler } from './cadence-reconciler';
import { systemCadencePage } from './cadence-list';
import { OrgCadenceReconciler, orgCadenceView, OrgCadenceView, orgSettingOf } from './org-cadences';
import { cadenceView, CadenceView } from './schedule-spec';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `parseCadencePathId` as a JSON Schema pattern (for the OpenAPI document): per-system or org-wide. */
export const CADENCE_ID_PATTERN =
  `^((${CADENCE_KINDS.join('|')}):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}` +
  `|org:(${ORG_CADENCE_KINDS.join('|')}))$`;

/** Long enough for a loaded server (a page of schedules and the org-wide four), short of every gRPC retry. */
const READ_DEADLINE_MS = 10_000;
const DEFAULT_LIST_LIMIT = 50;

export type CadenceAction = 'paused' | 'unpaused';

export type ParsedCadenceId = { scope: 'system'; kind: CadenceKind; systemId: string } | { scope: 'org'; kind: OrgCadenceKind };

/** A cadence id from the path: `<kind>:<systemId>` (a known kind, a UUID) or `org:<kind>`; else a 400 on `id`. */
export function parseCadencePathId(id: string): ParsedCadenceId {
  const org = id.length <= 200 ? parseOrgCadenceId(id) : undefined;
  if (org) return { scope: 'org', kind: org };
  const parsed = id.length <= 200 ? parseCadenceId(id) : undefined;
  if (!parsed || !UUID.test(parsed.systemId)) {
    throw fieldError('id', `id must be a cadence id: <${CADENCE_KINDS.join('|')}>:<system UUID>, or org:<${ORG_CADENCE_KINDS.join('|')}>`);
  }
  return { scope: 'system', ...parsed };
}

/** What an audit event says of the cadence it is about. */
function cadenceDetail(id: string, parsed: ParsedCadenceId): Record<string, unknown> {
  return parsed.scope === 'org'
    ? { cadenceId: id, kind: parsed.kind, scope: 'org' }
    : { cadenceId: id, kind: parsed.kind, systemId: parsed.systemId };
}

@Injectable()
export class CadencesService {
  constructor(
    private readonly client: Client,
    private readonly reconciler: CadenceReconciler,
    private readonly org: OrgCadenceReconciler,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /**
   * Every cadence: the org-wide ones first (on the first page, each described), then a page of
   * per-system ones from Temporal's schedule list; `scope` keeps one kind.
   */
  async list(
    q: CadenceListQueryDto,
  ): Promise<{ items: Array<OrgCadenceView | (CadenceView & { scope: 'system' })>; nextCursor: string | null }> {
    return this.client.withDeadline(Date.now() + READ_DEADLINE_MS, async () => {
      const items: Array<OrgCadenceView | (CadenceView & { scope: 'system' })> = [];
      if (q.scope !== 'system' && !q.cursor) {
        const described = await Promise.all(ORG_CADENCE_KINDS.map((k) => this.org.describe(orgCadenceId(k))));
        for (const d of described) if (d) items.push(orgCadenceView(d));
      }
      if (q.scope === 'org') return { items, nextCursor: null };
      const page = await systemCadencePage(this.client, q.limit ?? DEFAULT_LIST_LIMIT, q.cursor);
      items.push(...page.items.map((v) => ({ ...v, scope: 'system' as const })));
      return { items, nextCursor: page.nextCursor };
    });
  }

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

  /**
   * Runs the cadence's cycle now, as the Schedule would (its own action: workflow type, input and
   * task queue), and answers with the cycle's result: the current period's task, opened now or
   * already open, recorded and so readable at once. The audit event and the start are one
   * transaction (a refused start leaves nothing); the answer waits after the commit, as the
   * cycle's task records its opening in the same audit trail.
   */
  async trigger(id: string, actor: AuthenticatedPerson): Promise<TriggeredView | OrgTriggeredView> {
    const at = new Date();
    const parsed = parseCadencePathId(id);
    if (parsed.scope === 'org') return this.triggerOrg(id, parsed.kind, actor, at);
    const { kind, systemId } = parsed;
    const result = await this.runCycle(id, await this.reconciler.describe(id), 'cadenceCycle', actor, { kind, systemId });
    if (result.outcome === 'not-due') {
      throw new ConflictException(
        result.firstRunAt
          ? `no yearly AI impact assessment of ${systemId} is due before ${result.firstRunAt} (the first anniversary of its go-live); no task was opened`
          : `the system ${systemId} is not live yet and has no go-live date: no yearly AI impact assessment is due; no task was opened`,
      );
    }
    if (result.outcome === 'out-of-scope' || !result.taskId || !result.period)
      throw new ConflictException(`the system ${systemId} is not in scope of ${kind} any more; no task was opened`);
    // Opened by an earlier run: it may still be recording its opening (a run a moment ago).
    if (result.outcome === 'already-open') await awaitTaskOpened(this.client, result.taskId);
    return { cadenceId: id, triggeredAt: at.toISOString(), taskId: result.taskId, period: result.period, outcome: result.outcome };
  }

  /**
   * Runs a Schedule's own cycle action once, now (its workflow type, args and task queue), and
   * waits for its result: 404 without the Schedule, 409 when it runs another action. The audit
   * event and the start are one transaction, so a refused start leaves nothing behind.
   */
  private async runCycle<T extends 'cadenceCycle' | 'orgCadenceCycle'>(
    id: string,
    desc: ScheduleDescription | undefined,
    type: T,
    actor: AuthenticatedPerson,
    detail: Record<string, string>,
  ): Promise<Awaited<ReturnType<WorkflowOf<T>>>> {
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    if (desc.action.type !== 'startWorkflow' || desc.action.workflowType !== WORKFLOW_TYPES[type])
      throw new ConflictException(`cadence ${id} does not run a ${type} workflow`);
    const input = desc.action.args?.[0] as Parameters<WorkflowOf<T>>[0] | undefined;
    if (!input) throw new ConflictException(`cadence ${id} has no cycle input`);
    const workflowId = `${id}:triggered:${randomUUID()}`;
    const run = await this.db.transaction(async (tx) => {
      await appendToStream(tx, AUDIT_STREAMS.cadence(id), {
        event: 'cadence.triggered',
        actorId: actor.id,
        detail: { cadenceId: id, ...detail, workflowId },
      });
      return startWithinTransaction(this.client, type, {
        workflowId,
        taskQueue: desc.action.taskQueue,
        args: [input] as Parameters<WorkflowOf<T>>,
      });
    });
    return (await run.result()) as Awaited<ReturnType<WorkflowOf<T>>>;
  }

  /**
   * Runs an org-wide cadence's cycle now, as its Schedule would (its own action: the setting in
   * its args), then asks the period's round for the tasks it opened (`roundOpened`), which it
   * answers once they are recorded: each reads in GET /tasks/:id when this answers.
   */
  private async triggerOrg(id: string, kind: OrgCadenceKind, actor: AuthenticatedPerson, at: Date): Promise<OrgTriggeredView> {
    const result = await this.runCycle(id, await this.org.describe(id), 'orgCadenceCycle', actor, { kind, scope: 'org' });
    let taskIds: string[];
    try {
      taskIds = (await this.client.workflow.getHandle(result.roundId).executeUpdate(roundOpenedUpdate)).taskIds;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw temporalHttpException(err, 'the round did not answer') ?? err;
      // A round already closed (every task done) answers no Update: its tasks are in the read model.
      const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM tasks WHERE cadence_id = $1 AND period = $2 ORDER BY id`, [
        id,
        result.period,
      ]);
      taskIds = rows.map((r) => r.id);
    }
    return {
      cadenceId: id,
      triggeredAt: at.toISOString(),
      period: result.period,
      roundId: result.roundId,
      outcome: result.outcome,
      taskIds,
    };
  }

  /**
   * Changes an org-wide cadence's interval or first month: validated by the domain (a refused
   * interval names the allowed ones, nothing changes), then the audit event and the Schedule's
   * new calendar and args in one transaction. A per-system cadence follows its system: 409.
   */
  async changeSetting(id: string, dto: OrgCadenceSettingDto, actor: AuthenticatedPerson): Promise<OrgCadenceView> {
    const parsed = parseCadencePathId(id);
    if (parsed.scope === 'system')
      throw new ConflictException(
        `cadence ${id} follows its system: its calendar comes from the system's risk tier and go-live date (change the system instead)`,
      );
    const kind = parsed.kind;
    if (dto.intervalMonths === undefined && dto.startMonth === undefined)
      throw fieldError('body', 'at least one of intervalMonths, startMonth is required');
    const problems = orgCadenceSettingProblems(kind, dto);
    if (problems.length) throw new ValidationFailedException(problems.map((p) => ({ field: p.field, messages: [p.message] })));
    const desc = await this.org.describe(id);
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    const previous = orgSettingOf(desc, kind);
    const next: OrgCadenceSetting = {
      intervalMonths: dto.intervalMonths ?? previous?.intervalMonths ?? NaN,
      startMonth: dto.startMonth ?? previous?.startMonth ?? NaN,
    };
    const whole = orgCadenceSettingProblems(kind, next);
    if (!previous || whole.length)
      throw new ConflictException(`cadence ${id} has no valid setting in its Schedule; give both intervalMonths and startMonth`);
    if (previous.intervalMonths === next.intervalMonths && previous.startMonth === next.startMonth) return orgCadenceView(desc);
    await this.db.transaction(async (tx) => {
      await appendToStream(tx, AUDIT_STREAMS.cadence(id), {
        event: 'cadence.changed',
        actorId: actor.id,
        detail: { cadenceId: id, kind, scope: 'org', from: previous, to: next },
      });
      try {
        await this.org.applySetting(kind, next);
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) throw new NotFoundException(`cadence ${id} not found`);
        throw temporalHttpException(err, 'the setting was not changed') ?? err;
      }
    });
    return this.orgView(id);
  }

  private async orgView(id: string): Promise<OrgCadenceView> {
    const desc = await this.org.describe(id);
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    return orgCadenceView(desc);
  }

  async pause(id: string, actor: AuthenticatedPerson, note?: string): Promise<CadenceView | OrgCadenceView> {
    const text = note || `Paused by ${actor.name}`;
    await this.act(id, 'paused', actor, note, (h) => h.pause(text));
    return this.view(id);
  }

  async unpause(id: string, actor: AuthenticatedPerson, note?: string): Promise<CadenceView | OrgCadenceView> {
    const text = note || `Unpaused by ${actor.name}`;
    await this.act(id, 'unpaused', actor, note, (h) => h.unpause(text));
    return this.view(id);
  }

  private async view(id: string): Promise<CadenceView | OrgCadenceView> {
    if (parseCadencePathId(id).scope === 'org') return this.orgView(id);
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
    const parsed = parseCadencePathId(id);
    const desc: ScheduleDescription | undefined = await this.reconciler.describe(id);
    if (!desc) throw new NotFoundException(`cadence ${id} not found`);
    if (action === 'paused' && desc.state.paused) throw new ConflictException(`cadence ${id} is already paused`);
    if (action === 'unpaused' && !desc.state.paused) throw new ConflictException(`cadence ${id} is not paused`);
    await this.db.transaction(async (tx) => {
      await appendToStream(tx, AUDIT_STREAMS.cadence(id), {
        event: `cadence.${action}`,
        actorId: actor.id,
        detail: { ...cadenceDetail(id, parsed), ...(note ? { note } : {}) },
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
