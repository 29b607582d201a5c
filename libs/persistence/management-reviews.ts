/**
 * The management reviews (ISO/IEC 42001 9.3): the one writer of their rows (a versioned upsert
 * and its audit event in one transaction) and the reads that compile a review's pack from the
 * read models and the audit trail, with the rules as the SQL fragments of read-models.ts.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type {
  AuditResults,
  CompileReviewPackInput,
  InventoryChange,
  ManagementReviewPack,
  ManagementReviewStatus,
  RecordCaseInput,
  ReviewActionState,
  ReviewCoverage,
} from '../contracts';
import type { EscalationLevel, TaskKind } from '../domain';
import { coveragePercent, ESCALATION_LEVELS, EFFECTIVENESS_OUTCOMES, percentOrNull, quarterOf, RETIRED_STAGE } from '../domain';
import { appendTransition, AUDIT_STREAMS } from './audit-streams';
import { INCIDENTS_SQL, TASKS_SQL } from './read-models';

const ACTION_KIND: TaskKind = 'management-review-action';
const REVIEW_KIND: TaskKind = 'high-risk-review';

/** Says in the pack what the product does not record, rather than invent it. */
export const REGIMES_NOT_RECORDED =
  'Regulatory regimes are configuration (the built-in regimes and AIMS_REGIMES_FILE), not records: changes to them are not tracked, so none are reported.';
export const INTERESTED_PARTIES_NOT_RECORDED =
  'Needs and expectations of interested parties are not recorded by the orchestrator: bring them to the meeting.';

export async function upsertManagementReview(tx: EntityManager, s: ManagementReviewStatus): Promise<void> {
  await tx.query(
    `INSERT INTO management_reviews (id, period, state, opened_at, closed_at, status, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (id) DO UPDATE SET
       state = EXCLUDED.state, closed_at = EXCLUDED.closed_at, status = EXCLUDED.status, version = EXCLUDED.version, updated_at = now()
     WHERE management_reviews.version < EXCLUDED.version`,
    [s.reviewId, s.period, s.state, s.openedAt, s.closedAt ?? null, JSON.stringify(s), s.version],
  );
}

/** A managementReview workflow's transition: the snapshot if newer, and its audit event. Idempotent. */
export async function recordManagementReview(db: DataSource, input: RecordCaseInput<ManagementReviewStatus>): Promise<void> {
  await db.transaction(async (tx) => {
    await upsertManagementReview(tx, input.status);
    await appendTransition(tx, AUDIT_STREAMS.managementReview(input.status.reviewId), {
      event: input.event,
      version: input.status.version,
      actorId: input.actorId ?? null,
      at: input.at,
      detail: { ...(input.detail ?? {}), state: input.status.state, version: input.status.version },
    });
  });
}

/** Of these person ids, those that are unknown or deactivated. */
export async function inactivePeople(db: Pick<DataSource, 'query'>, ids: string[]): Promise<string[]> {
  const uuids = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  const rows: Array<{ id: string }> = uuids.length
    ? await db.query(`SELECT id::text AS id FROM people WHERE id = ANY($1::uuid[]) AND active`, [uuids])
    : [];
  const active = new Set(rows.map((r) => r.id.toLowerCase()));
  return ids.filter((id) => !active.has(id.toLowerCase()));
}

const iso = (v: unknown): string => new Date(v as string).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

function levelName(level: number): EscalationLevel {
  return ESCALATION_LEVELS[Math.max(0, Math.min(ESCALATION_LEVELS.length - 1, level))];
}

/** The pack's inputs (9.3.2) as the read models and the audit trail have them at `input.at`. */
export async function compileManagementReviewPack(db: DataSource, input: CompileReviewPackInput): Promise<ManagementReviewPack> {
  const [previous]: Array<{ id: string; opened_at: Date }> = await db.query(
    `SELECT id, opened_at FROM management_reviews WHERE id <> $1 AND opened_at < $2 ORDER BY opened_at DESC LIMIT 1`,
    [input.reviewId, input.at],
  );
  const since = previous ? iso(previous.opened_at) : input.fallbackSince;
  const [previousActions, inventory, nonconformities, monitoring, audits] = await Promise.all([
    previousReviewActions(db, input.reviewId),
    inventoryChanges(db, since),
    nonconformityFigures(db, since),
    monitoringFigures(db, since, input.timeZone),
    auditResults(db, since),
  ]);
  return {
    compiledAt: input.at,
    since,
    previousReviewId: previous?.id ?? null,
    previousActions,
    changes: {
      inventory,
      registered: inventory.filter((c) => c.change === 'registered').length,
      retired: inventory.filter((c) => c.change === 'retired').length,
      reclassified: inventory.filter((c) => c.change === 'reclassified').length,
      lifecycleChanges: inventory.filter((c) => c.change === 'lifecycle' || c.change === 'retired').length,
      regimes: REGIMES_NOT_RECORDED,
    },
    interestedParties: INTERESTED_PARTIES_NOT_RECORDED,
    performance: { nonconformities, monitoring, audits },
  };
}

/** (a) Every action decided by an earlier review, as its task stands now. */
async function previousReviewActions(db: DataSource, reviewId: string): Promise<ReviewActionState[]> {
  const rows: Array<Record<string, any>> = await db.query(
    `SELECT id, subject_id, title, owner_id, state, due_at, escalation_level, submitted_at, (${TASKS_SQL.overdue()}) AS overdue
       FROM tasks WHERE kind = $1 AND subject_id <> $2 ORDER BY due_at, id`,
    [ACTION_KIND, reviewId],
  );
  return rows.map((r) => ({
    taskId: r.id,
    reviewId: r.subject_id,
    title: r.title,
    ownerId: r.owner_id,
    state: r.state,
    dueAt: iso(r.due_at),
    overdue: Boolean(r.overdue),
    escalationLevel: Number(r.escalation_level),
    escalation: levelName(Number(r.escalation_level)),
    ...(r.submitted_at && (r.state === 'approved' || r.state === 'completed') ? { doneAt: iso(r.submitted_at) } : {}),
  }));
}

/** (b) Systems registered, retired, reclassified or moved in their life cycle since `since`, from their audit streams. */
async function inventoryChanges(db: DataSource, since: string): Promise<InventoryChange[]> {
  const prefix = AUDIT_STREAMS.system('').streamId;
  const rows: Array<{ system_id: string; name: string | null; event: string; occurred_at: Date; detail: Record<string, any> }> =
    await db.query(
      `SELECT substring(e.stream_id FROM ${prefix.length + 1}) AS system_id, s.name, e.event, e.occurred_at, e.detail
         FROM audit_events e LEFT JOIN ai_systems s ON e.stream_id = $1 || s.id::text
        WHERE e.stream_id LIKE $1 || '%' AND e.event IN ('system.registered', 'system.updated') AND e.occurred_at >= $2
        ORDER BY e.seq`,
      [prefix, since],
    );
  const out: InventoryChange[] = [];
  for (const r of rows) {
    const base = { systemId: r.system_id, name: r.name ?? r.detail?.system?.name ?? r.system_id, at: iso(r.occurred_at) };
    if (r.event === 'system.registered') {
      out.push({ ...base, change: 'registered', to: r.detail?.system?.riskTier });
      continue;
    }
    const changes = r.detail?.changes ?? {};
    if (changes.riskTier) out.push({ ...base, change: 'reclassified', from: changes.riskTier.from, to: changes.riskTier.to });
    if (changes.lifecycleStage) {
      const change = changes.lifecycleStage.to === RETIRED_STAGE ? 'retired' : 'lifecycle';
      out.push({ ...base, change, from: changes.lifecycleStage.from, to: changes.lifecycleStage.to });
    }
  }
  return out;
}

async function nonconformityFigures(db: DataSource, since: string): Promise<ManagementReviewPack['performance']['nonconformities']> {
  const [[counts], [checks], open] = await Promise.all([
    db.query(
      `SELECT count(*) FILTER (WHERE n.state = 'open')::int AS open,
              count(*) FILTER (WHERE n.state = 'open' AND EXISTS (
                SELECT 1 FROM tasks t WHERE t.id = n.status->>'currentTaskId' AND ${TASKS_SQL.overdue('t')}))::int AS overdue,
              count(*) FILTER (WHERE n.opened_at >= $1)::int AS opened_since,
              count(*) FILTER (WHERE n.closed_at >= $1)::int AS closed_since
         FROM nonconformities n`,
      [since],
    ),
    db.query(
      `SELECT count(*) FILTER (WHERE status->>'outcome' = $2)::int AS effective,
              count(*) FILTER (WHERE status->>'outcome' = $3)::int AS not_effective
         FROM tasks WHERE kind = 'corrective-action-step' AND state = 'completed' AND submitted_at >= $1`,
      [since, EFFECTIVENESS_OUTCOMES[0], EFFECTIVENESS_OUTCOMES[1]],
    ),
    db.query(
      `SELECT id, title, grade, step, opened_at, source_type FROM nonconformities WHERE state = 'open' ORDER BY opened_at, id LIMIT 200`,
    ),
  ]);
  return {
    open: counts.open,
    overdue: counts.overdue,
    openedSince: counts.opened_since,
    closedSince: counts.closed_since,
    effective: checks.effective,
    notEffective: checks.not_effective,
    openList: open.map((r: Record<string, any>) => ({
      id: r.id,
      title: r.title,
      grade: r.grade,
      step: r.step,
      openedAt: iso(r.opened_at),
      sourceType: r.source_type,
    })),
  };
}

async function monitoringFigures(
  db: DataSource,
  since: string,
  timeZone: string,
): Promise<ManagementReviewPack['performance']['monitoring']> {
  const firstQuarter = quarterOf(new Date(since), timeZone).key;
  const [coverage, overdue, [incidents]] = await Promise.all([
    db.query(
      `SELECT period, count(*) FILTER (WHERE state <> 'cancelled')::int AS expected, count(*) FILTER (WHERE state = 'approved')::int AS approved
         FROM tasks WHERE kind = $1 AND period >= $2 GROUP BY period ORDER BY period`,
      [REVIEW_KIND, firstQuarter],
    ),
    db.query(`SELECT escalation_level, count(*)::int AS count FROM tasks WHERE ${TASKS_SQL.overdue()} GROUP BY 1 ORDER BY 1`),
    db.query(
      `SELECT count(*) FILTER (WHERE opened_at >= $1)::int AS opened_since,
              count(*) FILTER (WHERE state = 'open')::int AS open,
              count(*) FILTER (WHERE closed_at >= $1)::int AS closed_since,
              count(*) FILTER (WHERE detected_at >= $1 AND ${INCIDENTS_SQL.draftOnTime})::int AS on_time,
              count(*) FILTER (WHERE detected_at >= $1 AND ${INCIDENTS_SQL.draftLate})::int AS late
         FROM incidents`,
      [since],
    ),
  ]);
  return {
    highRiskReviewCoverage: coverage.map((r: { period: string; expected: number; approved: number }): ReviewCoverage => ({
      period: r.period,
      expected: r.expected,
      approved: r.approved,
      coveragePercent: coveragePercent(r.approved, r.expected),
    })),
    overdueByEscalationLevel: ESCALATION_LEVELS.map((level, i) => ({
      level,
      count: overdue.find((r: { escalation_level: number }) => Number(r.escalation_level) === i)?.count ?? 0,
    })),
    incidents: {
      openedSince: incidents.opened_since,
      open: incidents.open,
      closedSince: incidents.closed_since,
      draftsOnTime: incidents.on_time,
      draftsLate: incidents.late,
      onTimePercent: percentOrNull(incidents.on_time, incidents.on_time + incidents.late),
    },
  };
}

/** (d) Audit results: the programmes open or closed since `since` and the findings recorded since, by grade. */
async function auditResults(db: DataSource, since: string): Promise<AuditResults> {
  const [exists] = await db.query(`SELECT to_regclass('audit_programmes') IS NOT NULL AND to_regclass('audit_findings') IS NOT NULL AS ok`);
  if (!exists?.ok) return { recorded: false, programmes: [], findingsByGrade: {}, nonconformitiesRaised: 0 };
  const [programmes, findings] = await Promise.all([
    db.query(
      `SELECT id, period, state, opened_at, closed_at FROM audit_programmes WHERE closed_at IS NULL OR closed_at >= $1 ORDER BY opened_at, id`,
      [since],
    ),
    db.query(
      `SELECT grade, count(*)::int AS count, count(nonconformity_id)::int AS raised FROM audit_findings WHERE recorded_at >= $1 GROUP BY grade`,
      [since],
    ),
  ]);
  return {
    recorded: true,
    programmes: programmes.map((r: Record<string, any>) => ({
      id: r.id,
      period: r.period,
      state: r.state,
      openedAt: isoOrNull(r.opened_at),
      closedAt: isoOrNull(r.closed_at),
    })),
    findingsByGrade: Object.fromEntries(findings.map((r: { grade: string; count: number }) => [r.grade, r.count])),
    nonconformitiesRaised: findings.reduce((n: number, r: { raised: number }) => n + r.raised, 0),
  };
}
