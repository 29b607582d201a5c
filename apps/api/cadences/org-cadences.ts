/**
 * The organisation-wide cadences' Schedules `org:<kind>`: their options (calendar from the
 * setting, the per-system cadences' policies), the setting read back from the Schedule's own
 * action args (the Schedule is the one truth: a restart never resets a setting changed through
 * the API), their view, and a start-up pass that creates a missing one with its defaults and
 * makes an existing one current with the setting it has.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client, ScheduleAlreadyRunning, ScheduleDescription, ScheduleNotFoundError } from '@temporalio/client';
import type { ScheduleOptions, ScheduleOptionsStartWorkflowAction, ScheduleUpdateOptions } from '@temporalio/client';
import type { OrgCadenceCycleInput } from '../../../libs/contracts';
import { WORKFLOW_TYPES } from '../../../libs/contracts';
import {
  CalendarRule,
  ORG_CADENCE_DEFAULTS,
  ORG_CADENCE_DESCRIPTIONS,
  ORG_CADENCE_INTERVALS,
  ORG_CADENCE_KINDS,
  orgCadenceCalendar,
  orgCadenceId,
  OrgCadenceKind,
  OrgCadenceSetting,
  orgCadenceSettingProblems,
  parseOrgCadenceId,
} from '../../../libs/domain';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';
import type { WorkflowOf } from '../common/workflow-start';
import { TEMPORAL_TASK_QUEUE } from '../temporal/temporal.client';
import {
  CADENCE_SCHEDULE_POLICIES,
  hasJitter,
  jitterSpec,
  ruleOfDescription,
  sameRule,
  scheduleStateView,
  toCalendarSpecs,
} from './schedule-spec';
import { StartupRetry } from '../common/startup-retry';

export type OrgCadenceCycleAction = ScheduleOptionsStartWorkflowAction<WorkflowOf<'orgCadenceCycle'>>;

export function orgCycleInput(kind: OrgCadenceKind, setting: OrgCadenceSetting, timeZone: string): OrgCadenceCycleInput {
  return { cadenceId: orgCadenceId(kind), kind, timeZone, intervalMonths: setting.intervalMonths, startMonth: setting.startMonth };
}

/** The options of an org cadence's Schedule: runs `orgCadenceCycle` with its setting, in the org's zone. */
export function orgScheduleOptions(
  kind: OrgCadenceKind,
  setting: OrgCadenceSetting,
  timeZone: string,
  taskQueue: string,
  jitterMs: number,
): ScheduleOptions<OrgCadenceCycleAction> {
  const id = orgCadenceId(kind);
  return {
    scheduleId: id,
    spec: {
      calendars: toCalendarSpecs(orgCadenceCalendar(setting, timeZone), ORG_CADENCE_DESCRIPTIONS[kind]),
      timezone: timeZone,
      // A run up to the jitter late opens the same period (orgPeriodOf: the latest opening before the run).
      ...jitterSpec(jitterMs),
    },
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPES.orgCadenceCycle,
      // Temporal appends the scheduled time: `org:<kind>-<ISO time>`.
      workflowId: id,
      taskQueue,
      args: [orgCycleInput(kind, setting, timeZone)],
    },
    policies: {
      overlap: CADENCE_SCHEDULE_POLICIES.overlap,
      catchupWindow: CADENCE_SCHEDULE_POLICIES.catchupWindowMs,
      pauseOnFailure: CADENCE_SCHEDULE_POLICIES.pauseOnFailure,
    },
    memo: { kind, scope: 'org' },
  };
}

/** Update options: the setting's spec and action, keeping the Schedule's paused state and note. */
export function orgScheduleUpdate(
  kind: OrgCadenceKind,
  setting: OrgCadenceSetting,
  timeZone: string,
  taskQueue: string,
  previous: Pick<ScheduleDescription, 'state'>,
  jitterMs: number,
): ScheduleUpdateOptions<OrgCadenceCycleAction> {
  const { spec, action, policies } = orgScheduleOptions(kind, setting, timeZone, taskQueue, jitterMs);
  return {
    spec,
    action,
    policies,
    state: { paused: previous.state.paused, note: previous.state.note, remainingActions: previous.state.remainingActions },
  };
}

/** The setting kept in the Schedule's action args, when it is an allowed one. */
export function orgSettingOf(desc: Pick<ScheduleDescription, 'action'>, kind: OrgCadenceKind): OrgCadenceSetting | undefined {
  if (desc.action.type !== 'startWorkflow' || desc.action.workflowType !== WORKFLOW_TYPES.orgCadenceCycle) return undefined;
  const input = desc.action.args?.[0] as Partial<OrgCadenceCycleInput> | undefined;
  if (typeof input?.intervalMonths !== 'number' || typeof input.startMonth !== 'number') return undefined;
  const setting = { intervalMonths: input.intervalMonths, startMonth: input.startMonth };
  return orgCadenceSettingProblems(kind, setting).length ? undefined : setting;
}

/** True when the Schedule is what the setting asks for (calendar, zone, action, policies). */
export function isOrgCurrent(
  desc: ScheduleDescription,
  kind: OrgCadenceKind,
  setting: OrgCadenceSetting,
  timeZone: string,
  taskQueue: string,
  jitterMs: number,
): boolean {
  const rule = ruleOfDescription(desc);
  if (!rule || !sameRule(rule, orgCadenceCalendar(setting, timeZone))) return false;
  if (!hasJitter(desc, jitterMs)) return false;
  if ((desc.spec.calendars?.[0]?.comment ?? '') !== ORG_CADENCE_DESCRIPTIONS[kind]) return false;
  const a = desc.action;
  if (
    a.type !== 'startWorkflow' ||
    a.workflowType !== WORKFLOW_TYPES.orgCadenceCycle ||
    a.taskQueue !== taskQueue ||
    a.workflowId !== orgCadenceId(kind)
  )
    return false;
  if (JSON.stringify(a.args ?? []) !== JSON.stringify([orgCycleInput(kind, setting, timeZone)])) return false;
  const p = desc.policies;
  return (
    p.overlap === CADENCE_SCHEDULE_POLICIES.overlap &&
    p.catchupWindow === CADENCE_SCHEDULE_POLICIES.catchupWindowMs &&
    p.pauseOnFailure === CADENCE_SCHEDULE_POLICIES.pauseOnFailure
  );
}

/** What the API shows of an org-wide cadence. */
export interface OrgCadenceView {
  id: string;
  scope: 'org';
  kind: OrgCadenceKind;
  description: string;
  calendar: CalendarRule | null;
  setting: OrgCadenceSetting | null;
  allowedIntervals: number[];
  paused: boolean;
  note: string | null;
  nextRunTimes: string[];
  recentRuns: { scheduledAt: string; takenAt: string; workflowId: string }[];
}

export function orgCadenceView(desc: ScheduleDescription): OrgCadenceView {
  const kind = parseOrgCadenceId(desc.scheduleId)!;
  return {
    id: desc.scheduleId,
    scope: 'org',
    kind,
    description: ORG_CADENCE_DESCRIPTIONS[kind],
    calendar: ruleOfDescription(desc) ?? null,
    setting: orgSettingOf(desc, kind) ?? null,
    allowedIntervals: [...ORG_CADENCE_INTERVALS[kind]],
    ...scheduleStateView(desc),
  };
}

export type OrgReconcileOutcome = Record<OrgCadenceKind, 'created' | 'updated' | 'current'>;

@Injectable()
export class OrgCadenceReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OrgCadenceReconciler');
  readonly timeZone: string;
  /** Each Schedule's jitter (AIMS_SCHEDULE_JITTER_MINUTES). */
  private readonly jitterMs: number;
  private readonly reconcileOnStart: boolean;
  private readonly startup: StartupRetry;

  constructor(
    private readonly client: Client,
    @Inject(TEMPORAL_TASK_QUEUE) readonly taskQueue: string,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'timeZone' | 'reconcile'>,
  ) {
    this.timeZone = config.timeZone;
    this.jitterMs = config.reconcile.scheduleJitterMs;
    this.reconcileOnStart = config.reconcile.onStart;
    this.startup = new StartupRetry(this.logger, 'org-wide cadences reconcile', config.reconcile.retryMs, async () => {
      const out = await this.reconcileAll();
      return `org-wide cadences: ${ORG_CADENCE_KINDS.map((k) => `${k} ${out[k]}`).join(', ')}`;
    });
  }

  onApplicationBootstrap(): void {
    if (this.reconcileOnStart) this.startup.start();
  }

  onApplicationShutdown(): void {
    this.startup.stop();
  }

  /** Each org Schedule: created with its defaults when missing, else made current with the setting it has. */
  async reconcileAll(): Promise<OrgReconcileOutcome> {
    const out = {} as OrgReconcileOutcome;
    for (const kind of ORG_CADENCE_KINDS) out[kind] = await this.reconcile(kind);
    return out;
  }

  private async reconcile(kind: OrgCadenceKind): Promise<'created' | 'updated' | 'current'> {
    const desc = await this.describe(orgCadenceId(kind));
    if (!desc) {
      try {
        await this.client.schedule.create(
          orgScheduleOptions(kind, ORG_CADENCE_DEFAULTS[kind], this.timeZone, this.taskQueue, this.jitterMs),
        );
        return 'created';
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        return this.reconcile(kind); // created concurrently (another API process): check it
      }
    }
    const setting = orgSettingOf(desc, kind) ?? ORG_CADENCE_DEFAULTS[kind];
    if (isOrgCurrent(desc, kind, setting, this.timeZone, this.taskQueue, this.jitterMs)) return 'current';
    await this.applySetting(kind, setting);
    return 'updated';
  }

  /** Writes a setting into the Schedule (calendar and args), keeping its paused state and note. */
  async applySetting(kind: OrgCadenceKind, setting: OrgCadenceSetting): Promise<void> {
    await this.client.schedule
      .getHandle(orgCadenceId(kind))
      .update((prev) => orgScheduleUpdate(kind, setting, this.timeZone, this.taskQueue, prev, this.jitterMs));
  }

  async describe(id: string): Promise<ScheduleDescription | undefined> {
    try {
      return await this.client.schedule.getHandle(id).describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return undefined;
      throw err;
    }
  }
}
