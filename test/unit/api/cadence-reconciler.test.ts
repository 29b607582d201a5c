/**
 * CadenceReconciler against in-memory fakes of Temporal's schedule and workflow clients and of
 * the database: what it creates, updates and deletes, and when it starts the go-live AIIA and
 * the prohibited-system alert.
 */
import { Logger } from '@nestjs/common';
import {
  CalendarSpec,
  ScheduleAlreadyRunning,
  ScheduleDescription,
  ScheduleNotFoundError,
  ScheduleOptions,
  ScheduleUpdateOptions,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { CadenceReconciler, ReconcilableSystem } from '../../../apps/api/cadences/cadence-reconciler';
import { OrgCadenceReconciler } from '../../../apps/api/cadences/org-cadences';
import { cyclePeriod, ORG_CADENCE_DEFAULTS, ORG_CADENCE_KINDS, quarterOf } from '../../../libs/domain';

beforeAll(() => Logger.overrideLogger(false));

const SYSTEM = '3f6c2a1e-0000-4000-8000-000000000001';
const REVIEW = `high-risk-review:${SYSTEM}`;
const AIIA = `aiia:${SYSTEM}`;

const range = <T>(v: T) => ({ start: v, end: v, step: 1 });
const ranges = <T>(v: T | T[] | undefined, dflt: T[] = []) => (v === undefined ? dflt.map(range) : (Array.isArray(v) ? v : [v]).map(range));

function describedCalendar(c: CalendarSpec) {
  return {
    second: ranges(c.second as number, [0]),
    minute: ranges(c.minute as number, [0]),
    hour: ranges(c.hour as number, [0]),
    dayOfMonth: ranges(c.dayOfMonth as number),
    month: ranges(c.month as string),
    year: [],
    dayOfWeek: [],
    comment: c.comment,
  };
}

class FakeTemporal {
  schedules = new Map<string, ScheduleDescription>();
  workflows = new Map<string, { type: string; args: unknown[] }>();
  calls: string[] = [];
  down = false;

  private toDescription(
    o: Omit<ScheduleOptions, 'scheduleId'> & { scheduleId: string },
    state: ScheduleDescription['state'],
  ): ScheduleDescription {
    return {
      scheduleId: o.scheduleId,
      spec: { calendars: (o.spec.calendars ?? []).map(describedCalendar), timezone: o.spec.timezone, startAt: o.spec.startAt },
      action: o.action,
      policies: {
        overlap: o.policies!.overlap!,
        catchupWindow: o.policies!.catchupWindow as number,
        pauseOnFailure: o.policies!.pauseOnFailure!,
      },
      memo: o.memo,
      state,
      info: { recentActions: [], nextActionTimes: [], createdAt: new Date(0) },
    } as unknown as ScheduleDescription;
  }

  private check() {
    if (this.down) throw Object.assign(new Error('14 UNAVAILABLE: connect ECONNREFUSED'), { code: 14, metadata: {} });
  }

  schedule = {
    create: async (o: ScheduleOptions) => {
      this.check();
      this.calls.push(`create ${o.scheduleId}`);
      if (this.schedules.has(o.scheduleId)) throw new ScheduleAlreadyRunning('exists', o.scheduleId);
      this.schedules.set(o.scheduleId, this.toDescription(o, { paused: false }));
    },
    getHandle: (id: string) => ({
      describe: async () => {
        this.check();
        const d = this.schedules.get(id);
        if (!d) throw new ScheduleNotFoundError('not found', id);
        return d;
      },
      update: async (fn: (prev: ScheduleDescription) => ScheduleUpdateOptions) => {
        this.check();
        this.calls.push(`update ${id}`);
        const prev = this.schedules.get(id);
        if (!prev) throw new ScheduleNotFoundError('not found', id);
        const next = fn(prev);
        const state = (next.state ?? {}) as { paused?: boolean; note?: string };
        this.schedules.set(
          id,
          this.toDescription({ ...next, scheduleId: id, memo: prev.memo } as never, { paused: !!state.paused, note: state.note }),
        );
      },
      delete: async () => {
        this.check();
        this.calls.push(`delete ${id}`);
        if (!this.schedules.delete(id)) throw new ScheduleNotFoundError('not found', id);
      },
    }),
    list: () => {
      const ids = [...this.schedules.keys()];
      return (async function* () {
        for (const scheduleId of ids) yield { scheduleId };
      })();
    },
  };

  workflow = {
    start: async (type: string, o: { workflowId: string; args: unknown[]; workflowIdReusePolicy?: string }) => {
      this.check();
      this.calls.push(`start ${type} ${o.workflowId}`);
      expect(o.workflowIdReusePolicy).toBe('REJECT_DUPLICATE');
      if (this.workflows.has(o.workflowId)) throw new WorkflowExecutionAlreadyStartedError('started', o.workflowId, type);
      this.workflows.set(o.workflowId, { type, args: o.args });
      return {};
    },
    getHandle: (id: string) => ({
      describe: async () => {
        this.check();
        if (!this.workflows.has(id)) throw new WorkflowNotFoundError('not found', id, undefined);
        return {};
      },
    }),
  };
}

class FakeDb {
  systems: Array<Record<string, unknown>> = [];
  taskIds = new Set<string>();
  async query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    if (/FROM ai_systems s ORDER BY/.test(sql)) {
      const quarter = quarterOf(new Date(), 'UTC').key;
      return this.systems.map((s) => ({
        ...s,
        has_go_live_task: this.taskIds.has(`aiia:${s.id}:go-live`) || this.taskIds.has(`aiia:${s.id}:initial`),
        has_current_review: this.taskIds.has(`high-risk-review:${s.id}:${quarter}`),
        aiia_on_record: this.aiiaOnRecord(s.id as string),
      }));
    }
    if (/FROM ai_systems s WHERE s.id = \$1 AND EXISTS/.test(sql)) return this.aiiaOnRecord(params[0] as string) ? [{}] : [];
    if (/FROM tasks WHERE id = \$1/.test(sql)) return this.taskIds.has(params[0] as string) ? [{ '?column?': 1 }] : [];
    if (/FROM tasks WHERE id IN \(\$1, \$2\)/.test(sql)) return params.some((p) => this.taskIds.has(p as string)) ? [{}] : [];
    if (/FROM ai_systems WHERE id::text = \$1/.test(sql)) return this.systems.some((s) => s.id === params[0]) ? [{}] : [];
    throw new Error(`unexpected SQL: ${sql}`);
  }
  aiiaOnRecord(systemId: string): boolean {
    return [...this.taskIds].some((id) => id.startsWith(`aiia:${systemId}:`));
  }
  get manager() {
    return { query: this.query.bind(this) };
  }
}

function setup(timeZone = 'UTC') {
  const temporal = new FakeTemporal();
  const db = new FakeDb();
  const config = { timeZone, reconcile: { onStart: true, retryMs: 60_000, scheduleJitterMs: 0 } };
  const reconciler = new CadenceReconciler(temporal as never, 'aims', db as never, config);
  return { temporal, db, reconciler };
}

const system = (over: Partial<ReconcilableSystem> = {}): ReconcilableSystem => ({
  id: SYSTEM,
  name: 'Credit scoring',
  ownerId: '9d0f0a6e-0000-4000-8000-00000000000a',
  riskTier: 'high',
  lifecycleStage: 'operation_and_monitoring',
  goLiveDate: null,
  createdAt: new Date('2025-06-02T10:00:00Z'),
  ...over,
});
const actor = { personId: 'c0ffee00-0000-4000-8000-000000000001' };

describe('CadenceReconciler.reconcileSystem', () => {
  it('creates the quarterly review and the yearly AIIA for a high system, then is idempotent', async () => {
    const { temporal, reconciler } = setup();
    const out = await reconciler.reconcileSystem(system(), actor);
    expect(out).toMatchObject({
      created: [REVIEW, AIIA],
      updated: [],
      removed: [],
      goLiveAiia: 'not-applicable',
      currentReview: 'opened',
      initialAiia: 'started',
    });
    expect(temporal.schedules.get(REVIEW)!.action).toMatchObject({
      workflowType: 'cadenceCycle',
      workflowId: REVIEW,
      taskQueue: 'aims',
      args: [{ cadenceId: REVIEW, kind: 'high-risk-review', systemId: SYSTEM, timeZone: 'UTC' }],
    });
    temporal.calls = [];
    const again = await reconciler.reconcileSystem(system(), actor);
    expect(again).toMatchObject({ created: [], updated: [], removed: [], currentReview: 'already-open', initialAiia: 'already-started' });
    expect(temporal.calls).toEqual([]);
  });

  it('updates a Schedule whose calendar, zone or description drifted, keeping its paused state', async () => {
    const { temporal, reconciler } = setup();
    await reconciler.reconcileSystem(system(), actor);
    const d = temporal.schedules.get(AIIA)!;
    temporal.schedules.set(AIIA, { ...d, state: { paused: true, note: 'hold' } });
    const out = await reconciler.reconcileSystem(system({ goLiveDate: '2026-03-17', name: 'Credit scoring v2' }), actor);
    expect(out.updated.sort()).toEqual([AIIA, REVIEW].sort());
    const aiia = temporal.schedules.get(AIIA)!;
    expect(aiia.spec.calendars![0].month).toEqual([range('MARCH')]);
    expect(aiia.spec.calendars![0].dayOfMonth).toEqual([range(17)]);
    expect(aiia.state).toMatchObject({ paused: true, note: 'hold' });
  });

  it('high -> limited removes the quarterly review; retirement removes everything', async () => {
    const { temporal, reconciler } = setup();
    await reconciler.reconcileSystem(system(), actor);
    expect((await reconciler.reconcileSystem(system({ riskTier: 'limited', previousRiskTier: 'high' }), actor)).removed).toEqual([REVIEW]);
    expect([...temporal.schedules.keys()]).toEqual([AIIA]);
    expect((await reconciler.reconcileSystem(system({ riskTier: 'limited', lifecycleStage: 'retirement' }), actor)).removed).toEqual([
      AIIA,
    ]);
    expect(temporal.schedules.size).toBe(0);
  });

  it('a Schedule created concurrently is updated instead of failing', async () => {
    const { temporal, reconciler } = setup();
    const realCreate = temporal.schedule.create;
    let raced = false;
    temporal.schedule.create = async (o) => {
      if (!raced) {
        raced = true;
        await realCreate(o); // someone else created it between describe and create
      }
      return realCreate(o);
    };
    await expect(reconciler.reconcileSystem(system(), actor)).resolves.toBeDefined();
    expect(temporal.calls).toContain(`update ${REVIEW}`);
  });

  it('starts the go-live AIIA once, and not when the read model already has it', async () => {
    const { temporal, db, reconciler } = setup();
    const s = system({ goLiveDate: '2026-03-17' });
    expect((await reconciler.reconcileSystem(s, actor)).goLiveAiia).toBe('started');
    const started = temporal.workflows.get(`aiia:${SYSTEM}:go-live`)!;
    expect(started.type).toBe('governanceTask');
    expect(started.args[0]).toMatchObject({ kind: 'aiia', period: 'go-live', ownerId: s.ownerId, approverRoles: ['governance_lead'] });
    expect((await reconciler.reconcileSystem(s, actor)).goLiveAiia).toBe('already-started');

    // After Temporal's retention the workflow is gone, but the read model remembers it.
    temporal.workflows.clear();
    db.taskIds.add(`aiia:${SYSTEM}:go-live`);
    expect((await reconciler.reconcileSystem(s, actor)).goLiveAiia).toBe('already-started');
    expect(temporal.workflows.has(`aiia:${SYSTEM}:go-live`)).toBe(false);
  });

  it('no go-live AIIA for a retired or prohibited system', async () => {
    const { temporal, reconciler } = setup();
    await reconciler.reconcileSystem(system({ goLiveDate: '2026-03-17', lifecycleStage: 'retirement' }), actor);
    expect(temporal.workflows.size).toBe(0);
  });

  it('a prohibited system gets no Schedule and one alert, on registration or reclassification', async () => {
    const { temporal, reconciler } = setup();
    await reconciler.reconcileSystem(system(), actor);
    const out = await reconciler.reconcileSystem(
      system({ riskTier: 'unacceptable', previousRiskTier: 'high', goLiveDate: '2026-03-17' }),
      actor,
    );
    expect(out).toMatchObject({ removed: [REVIEW, AIIA], prohibitedAlert: 'started', goLiveAiia: 'not-applicable' });
    expect(temporal.schedules.size).toBe(0);
    expect(temporal.workflows.get(`prohibited-system-alert:${SYSTEM}`)).toEqual({
      type: 'prohibitedSystemAlert',
      args: [{ systemId: SYSTEM, systemName: 'Credit scoring', actorId: actor.personId }],
    });
    // Still prohibited (no tier change): no second alert.
    expect(
      (await reconciler.reconcileSystem(system({ riskTier: 'unacceptable', previousRiskTier: 'unacceptable' }), actor)).prohibitedAlert,
    ).toBeUndefined();
    // A caller that does not know the previous tier: Temporal refuses the duplicate.
    expect((await reconciler.reconcileSystem(system({ riskTier: 'unacceptable', previousRiskTier: null }), actor)).prohibitedAlert).toBe(
      'already-started',
    );
  });

  it('uses the organisation time zone for the Schedules', async () => {
    const { temporal, reconciler } = setup('Europe/Berlin');
    await reconciler.reconcileSystem(system(), actor);
    expect(temporal.schedules.get(REVIEW)!.spec.timezone).toBe('Europe/Berlin');
  });

  it('throws when Temporal is unreachable (the caller rolls its transaction back)', async () => {
    const { temporal, reconciler } = setup();
    temporal.down = true;
    await expect(reconciler.reconcileSystem(system(), actor)).rejects.toThrow(/UNAVAILABLE/);
  });
});

describe('CadenceReconciler: work owed at once', () => {
  it("a high system registered mid-quarter gets the quarter's review at once, due by cyclePeriod's rule, once", async () => {
    const { temporal, reconciler } = setup('Europe/Amsterdam');
    const before = new Date();
    const out = await reconciler.reconcileSystem(system({ goLiveDate: '2025-03-17' }), actor);
    const after = new Date();
    expect(out.currentReview).toBe('opened');
    const quarter = quarterOf(before, 'Europe/Amsterdam').key;
    const review = temporal.workflows.get(`${REVIEW}:${quarter}`)!;
    expect(review.type).toBe('governanceTask');
    const input = review.args[0] as { dueAt: string; period: string; cadenceId: string; timeZone: string };
    expect(input).toMatchObject({ kind: 'high-risk-review', period: quarter, cadenceId: REVIEW, timeZone: 'Europe/Amsterdam' });
    expect(Date.parse(input.dueAt)).toBeGreaterThanOrEqual(cyclePeriod('high-risk-review', before, 'Europe/Amsterdam').dueAt.getTime());
    expect(Date.parse(input.dueAt)).toBeLessThanOrEqual(cyclePeriod('high-risk-review', after, 'Europe/Amsterdam').dueAt.getTime());
    // A second reclassification or change opens no second review.
    expect((await reconciler.reconcileSystem(system({ goLiveDate: '2025-03-17', name: 'Renamed' }), actor)).currentReview).toBe(
      'already-open',
    );
    expect([...temporal.workflows.keys()].filter((id) => id.startsWith('high-risk-review:'))).toHaveLength(1);
  });

  it('reclassified up: limited -> high opens the review; a paused review cadence opens none; the read model counts', async () => {
    const { temporal, db, reconciler } = setup();
    const quarter = quarterOf(new Date(), 'UTC').key;
    expect((await reconciler.reconcileSystem(system({ riskTier: 'limited', goLiveDate: '2025-03-17' }), actor)).currentReview).toBe(
      'not-applicable',
    );
    expect((await reconciler.reconcileSystem(system({ goLiveDate: '2025-03-17', previousRiskTier: 'limited' }), actor)).currentReview).toBe(
      'opened',
    );
    temporal.workflows.delete(`${REVIEW}:${quarter}`);
    const d = temporal.schedules.get(REVIEW)!;
    temporal.schedules.set(REVIEW, { ...d, state: { paused: true } });
    expect((await reconciler.reconcileSystem(system({ goLiveDate: '2025-03-17' }), actor)).currentReview).toBe('paused');
    temporal.schedules.set(REVIEW, { ...d, state: { paused: false } });
    db.taskIds.add(`${REVIEW}:${quarter}`);
    expect((await reconciler.reconcileSystem(system({ goLiveDate: '2025-03-17' }), actor)).currentReview).toBe('already-open');
    expect(temporal.workflows.has(`${REVIEW}:${quarter}`)).toBe(false);
  });

  it('a system registered live with no go-live date: one initial AIIA, due 30 days after registration; a later go-live date opens no second', async () => {
    const { temporal, reconciler } = setup();
    const registered = new Date();
    const s = system({ riskTier: 'minimal', createdAt: registered });
    expect((await reconciler.reconcileSystem(s, actor)).initialAiia).toBe('started');
    const initial = temporal.workflows.get(`aiia:${SYSTEM}:initial`)!;
    expect(initial.args[0]).toMatchObject({ kind: 'aiia', period: 'initial', approverRoles: ['governance_lead'] });
    const due = Date.parse((initial.args[0] as { dueAt: string }).dueAt);
    expect(due).toBe(registered.getTime() + 30 * 24 * 3600 * 1000); // UTC: 30 calendar days = 30 x 24 h
    expect((await reconciler.reconcileSystem(s, actor)).initialAiia).toBe('already-started');
    const withGoLive = await reconciler.reconcileSystem({ ...s, goLiveDate: '2026-01-05' }, actor);
    expect(withGoLive).toMatchObject({ initialAiia: 'not-applicable', goLiveAiia: 'already-started' });
    expect(temporal.workflows.has(`aiia:${SYSTEM}:go-live`)).toBe(false);
  });

  it('not before operation, not with a go-live date, not retired', async () => {
    const { temporal, reconciler } = setup();
    for (const over of [{ lifecycleStage: 'design_and_development' as const }, { lifecycleStage: 'retirement' as const }]) {
      expect((await reconciler.reconcileSystem(system({ riskTier: 'minimal', ...over }), actor)).initialAiia).toBe('not-applicable');
    }
    expect(temporal.workflows.size).toBe(0);
  });

  it('a significant change starts its own AIIA; the same id again is adopted, not started twice', async () => {
    const { temporal, reconciler } = setup();
    const ref = { id: SYSTEM, name: 'Credit scoring', ownerId: system().ownerId };
    const now = new Date('2026-12-01T10:00:00Z');
    const first = await reconciler.startSignificantChangeAiia(ref, 1, now);
    expect(first).toMatchObject({ workflowId: `aiia:${SYSTEM}:significant-change-1`, adopted: false });
    expect(first.input).toMatchObject({ period: 'significant-change', dueAt: '2026-12-31T10:00:00.000Z' });
    expect((await reconciler.startSignificantChangeAiia(ref, 1, now)).adopted).toBe(true);
    expect((await reconciler.startSignificantChangeAiia(ref, 2, now)).adopted).toBe(false);
    expect([...temporal.workflows.keys()]).toEqual([`aiia:${SYSTEM}:significant-change-1`, `aiia:${SYSTEM}:significant-change-2`]);
  });
});

describe('CadenceReconciler.reconcileAll', () => {
  const row = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    name: `System ${id.slice(-2)}`,
    owner_id: '9d0f0a6e-0000-4000-8000-00000000000a',
    risk_tier: 'high',
    lifecycle_stage: 'deployment',
    go_live_date: null,
    created_at: new Date('2025-06-02T10:00:00Z'),
    ...over,
  });

  it('reconciles every system, never alerts, and removes old orphan Schedules', async () => {
    const { temporal, db, reconciler } = setup();
    db.systems = [row('3f6c2a1e-0000-4000-8000-000000000011'), row('3f6c2a1e-0000-4000-8000-000000000012', { risk_tier: 'unacceptable' })];
    // An orphan: its system no longer exists.
    await reconciler.reconcileSystem(system({ id: '3f6c2a1e-0000-4000-8000-0000000000ff' }), actor);
    temporal.workflows.clear();
    const result = await reconciler.reconcileAll();
    expect(result).toMatchObject({ systems: 2, created: 2, removed: 0, orphansRemoved: 2, failed: [] });
    expect([...temporal.schedules.keys()].sort()).toEqual(
      [`aiia:3f6c2a1e-0000-4000-8000-000000000011`, `high-risk-review:3f6c2a1e-0000-4000-8000-000000000011`].sort(),
    );
    // The high system lacked its current quarter's review: the start-up pass opens it (no alert, no AIIA: not in operation yet).
    const quarter = quarterOf(new Date(), 'UTC').key;
    expect([...temporal.workflows.keys()]).toEqual([`high-risk-review:3f6c2a1e-0000-4000-8000-000000000011:${quarter}`]);
  });

  it('skips the go-live AIIA the read model already has, starts a missing one', async () => {
    const { temporal, db, reconciler } = setup();
    db.systems = [
      row('3f6c2a1e-0000-4000-8000-000000000021', { go_live_date: '2026-01-05' }),
      row('3f6c2a1e-0000-4000-8000-000000000022', { go_live_date: '2026-01-05' }),
    ];
    db.taskIds.add('aiia:3f6c2a1e-0000-4000-8000-000000000021:go-live');
    await reconciler.reconcileAll();
    expect([...temporal.workflows.keys()].filter((id) => id.startsWith('aiia:'))).toEqual([
      'aiia:3f6c2a1e-0000-4000-8000-000000000022:go-live',
    ]);
  });

  it("catches up a high system's missing current review with its one SELECT, and leaves one the read model has", async () => {
    const { temporal, db, reconciler } = setup();
    const quarter = quarterOf(new Date(), 'UTC').key;
    db.systems = [row('3f6c2a1e-0000-4000-8000-000000000041'), row('3f6c2a1e-0000-4000-8000-000000000042')];
    db.taskIds.add(`high-risk-review:3f6c2a1e-0000-4000-8000-000000000041:${quarter}`);
    await reconciler.reconcileAll();
    expect([...temporal.workflows.keys()]).toEqual([`high-risk-review:3f6c2a1e-0000-4000-8000-000000000042:${quarter}`]);
    temporal.calls = [];
    await reconciler.reconcileAll();
    expect(temporal.calls).toEqual([]);
  });

  it('starts the initial AIIA of a system in operation without go-live date or AIIA on record', async () => {
    const { temporal, db, reconciler } = setup();
    db.systems = [
      row('3f6c2a1e-0000-4000-8000-000000000051', { risk_tier: 'minimal', lifecycle_stage: 'operation_and_monitoring' }),
      row('3f6c2a1e-0000-4000-8000-000000000052', { risk_tier: 'minimal', lifecycle_stage: 'operation_and_monitoring' }),
    ];
    db.taskIds.add('aiia:3f6c2a1e-0000-4000-8000-000000000052:2025');
    await reconciler.reconcileAll();
    expect([...temporal.workflows.keys()]).toEqual(['aiia:3f6c2a1e-0000-4000-8000-000000000051:initial']);
  });

  it('collects per-system failures instead of throwing', async () => {
    const { temporal, db, reconciler } = setup();
    db.systems = [row('3f6c2a1e-0000-4000-8000-000000000031')];
    temporal.down = true;
    const result = await reconciler.reconcileAll();
    expect(result.failed).toEqual(['3f6c2a1e-0000-4000-8000-000000000031']);
  });
});

describe('OrgCadenceReconciler: the org-wide Schedules at start-up', () => {
  const orgSetup = (timeZone = 'Europe/Amsterdam') => {
    const temporal = new FakeTemporal();
    const config = { timeZone, reconcile: { onStart: true, retryMs: 60_000, scheduleJitterMs: 0 } };
    return { temporal, org: new OrgCadenceReconciler(temporal as never, 'aims', config) };
  };
  const argsOf = (temporal: FakeTemporal, id: string) => (temporal.schedules.get(id)!.action as { args: unknown[] }).args[0];

  it('creates each missing one with its defaults, in the zone, running orgCadenceCycle; a second pass changes nothing', async () => {
    const { temporal, org } = orgSetup();
    expect(await org.reconcileAll()).toEqual(Object.fromEntries(ORG_CADENCE_KINDS.map((k) => [k, 'created'])));
    for (const kind of ORG_CADENCE_KINDS) {
      const d = temporal.schedules.get(`org:${kind}`)!;
      expect(d.action).toMatchObject({ workflowType: 'orgCadenceCycle', workflowId: `org:${kind}`, taskQueue: 'aims' });
      expect(argsOf(temporal, `org:${kind}`)).toEqual({
        cadenceId: `org:${kind}`,
        kind,
        timeZone: 'Europe/Amsterdam',
        ...ORG_CADENCE_DEFAULTS[kind],
      });
      expect(d.spec.timezone).toBe('Europe/Amsterdam');
    }
    temporal.calls = [];
    expect(await org.reconcileAll()).toEqual(Object.fromEntries(ORG_CADENCE_KINDS.map((k) => [k, 'current'])));
    expect(temporal.calls).toEqual([]);
  });

  it('keeps a setting changed through the API and a pause; recreates one that went missing with its defaults', async () => {
    const { temporal, org } = orgSetup();
    await org.reconcileAll();
    await org.applySetting('management-review', { intervalMonths: 6, startMonth: 2 });
    // Paused through the API.
    Object.assign(temporal.schedules.get('org:internal-audit')!, { state: { paused: true, note: 'held' } });
    temporal.schedules.delete('org:policy-review');

    // A restart: a fresh reconciler over the same Temporal.
    const again = new OrgCadenceReconciler(temporal as never, 'aims', {
      timeZone: 'Europe/Amsterdam',
      reconcile: { onStart: true, retryMs: 1, scheduleJitterMs: 0 },
    });
    const out = await again.reconcileAll();
    expect(out['policy-review']).toBe('created');
    expect(out['management-review']).toBe('current');
    expect(argsOf(temporal, 'org:management-review')).toMatchObject({ intervalMonths: 6, startMonth: 2 });
    expect(argsOf(temporal, 'org:policy-review')).toMatchObject(ORG_CADENCE_DEFAULTS['policy-review']);
    expect(temporal.schedules.get('org:internal-audit')!.state.paused).toBe(true);
  });

  it('a new AIMS_TIMEZONE moves the calendars and keeps each setting', async () => {
    const { temporal, org } = orgSetup();
    await org.reconcileAll();
    await org.applySetting('inventory-recertification', { intervalMonths: 3, startMonth: 2 });
    const sydney = new OrgCadenceReconciler(temporal as never, 'aims', {
      timeZone: 'Australia/Sydney',
      reconcile: { onStart: true, retryMs: 1, scheduleJitterMs: 0 },
    });
    expect((await sydney.reconcileAll())['inventory-recertification']).toBe('updated');
    expect(argsOf(temporal, 'org:inventory-recertification')).toMatchObject({
      timeZone: 'Australia/Sydney',
      intervalMonths: 3,
      startMonth: 2,
    });
    expect(temporal.schedules.get('org:inventory-recertification')!.spec.timezone).toBe('Australia/Sydney');
  });

  it('the per-system start-up pass never deletes them as orphans', async () => {
    const { temporal, db, reconciler } = setup();
    const org = new OrgCadenceReconciler(temporal as never, 'aims', {
      timeZone: 'UTC',
      reconcile: { onStart: true, retryMs: 1, scheduleJitterMs: 0 },
    });
    await org.reconcileAll();
    db.systems = [];
    const result = await reconciler.reconcileAll();
    expect(result.orphansRemoved).toBe(0);
    expect([...temporal.schedules.keys()].sort()).toEqual(ORG_CADENCE_KINDS.map((k) => `org:${k}`).sort());
  });
});
