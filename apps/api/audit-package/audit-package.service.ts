/**
 * The audit package: everything an auditor takes away for a period, read in one
 * REPEATABLE READ snapshot (every file describes the same instant), written as a ZIP as it
 * is read, with MANIFEST.sha256 over every file and the audit chain's head hash (the SHA-256
 * of audit-heads.jsonl: every stream's length and last hash). The period
 * chooses which records go in (work open during it, the trail's events in it); each record
 * is as it stands at generation.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ApiConfig } from '../../../libs/config';
import { addCalendar } from '../../../libs/domain';
import { auditHeadLines, currentSoa, soaAsOf, TASKS_SQL, verifyAuditChain } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { toCsv } from '../common/csv';
import { fieldError } from '../common/validation';
import { API_CONFIG } from '../config/api-config.module';
import { soaCsv, soaView } from '../soa/soa.service';
import { AuditPackageQueryDto } from './audit-package.dto';
import { writeRecertificationFiles } from './inventory-recertifications';
import { writePolicyFiles } from './policies';
import { writeAuditProgrammeFiles } from './audit-programmes';
import { writeManagementReviewFiles } from './management-reviews-files';
import { sha256Manifest, ZipSink, ZipWriter } from './zip-writer';

const PAGE = 2_000;

export interface AuditPeriod {
  from: Date;
  to: Date;
}

type Row = Record<string, unknown>;

@Injectable()
export class AuditPackageService {
  private readonly logger = new Logger('AuditPackage');
  private readonly timeZone: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'timeZone'>,
  ) {
    this.timeZone = config.timeZone;
  }

  /** The period asked for: `to` defaults to now, `from` to a year before it; `to` before `from` is a 400. */
  period(q: AuditPackageQueryDto, now = new Date()): AuditPeriod {
    const to = q.to ? new Date(q.to) : now;
    // A year is 12 calendar months in the organisation's zone.
    const from = q.from ? new Date(q.from) : addCalendar(to, { months: -12 }, this.timeZone);
    if (to.getTime() < from.getTime()) throw fieldError('to', 'to must not be before from');
    return { from, to };
  }

  /** Writes the package to `sink`; answers the chain's head hash once the snapshot is taken (before the first byte). */
  async write(period: AuditPeriod, actor: AuthenticatedPerson, sink: ZipSink, started: (headHash: string) => void): Promise<void> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      const tx = runner.manager;
      const generatedAt = new Date();
      const chain = await verifyAuditChain(tx);
      started(chain.headHash);
      const zip = new ZipWriter(sink);
      await this.writeFiles(zip, tx, period, actor, generatedAt, chain);
      await zip.file('MANIFEST.sha256', [sha256Manifest(zip.files)]);
      await zip.end();
      await runner.commitTransaction();
      this.logger.log(`audit package ${period.from.toISOString()}..${period.to.toISOString()} for ${actor.id}: ${zip.files.length} files`);
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
  }

  private async writeFiles(
    zip: ZipWriter,
    tx: EntityManager,
    period: AuditPeriod,
    actor: AuthenticatedPerson,
    generatedAt: Date,
    chain: Awaited<ReturnType<typeof verifyAuditChain>>,
  ): Promise<void> {
    const p = [period.from, period.to];

    const systems: Row[] = await tx.query(
      `SELECT s.id, s.name, s.description, s.purpose, s.provider_type, s.provider_name, s.deployer, s.owner_id,
              o.name AS owner_name, o.email AS owner_email, s.business_unit, s.risk_tier, s.lifecycle_stage,
              to_char(s.go_live_date, 'YYYY-MM-DD') AS go_live_date, s.data_inputs, s.data_outputs, s.oversight_measures,
              s.compliance_status, s.created_at, s.updated_at
         FROM ai_systems s JOIN people o ON o.id = s.owner_id
        WHERE s.created_at < $1 ORDER BY s.created_at, s.id`,
      [period.to],
    );
    const inScope = systems.filter((s) => s.lifecycle_stage !== 'retirement');
    await zip.file('scope.md', [scopeStatement(period, generatedAt, actor, this.timeZone, inScope, chain.headHash)]);
    await zip.file('inventory.json', [json(systems)]);
    await zip.file('inventory.csv', [
      toCsv(
        INVENTORY_COLUMNS,
        systems.map((r) => INVENTORY_COLUMNS.map((c) => cell(r[c]))),
      ),
    ]);

    const soa = soaView(period.to.getTime() >= generatedAt.getTime() ? await currentSoa(tx) : await soaAsOf(tx, period.to), period.to);
    await zip.file('soa.json', [json(soa)]);
    await zip.file('soa.csv', [soaCsv(soa)]);
    await writePolicyFiles(zip, tx, period);

    // Work open at some time in the period: opened before its end, and still owed (or not closed) or changed since its start.
    const records = async (name: string, table: string, where: string, columns: readonly string[]) => {
      await zip.file(`${name}.json`, jsonArray(this.pages(tx, `SELECT id, status FROM ${table} WHERE ${where}`, p, (r) => r.status)));
      const rows = this.pages(tx, `SELECT ${columns.join(', ')} FROM ${table} WHERE ${where}`, p, (r) => columns.map((c) => cell(r[c])));
      await zip.file(`${name}.csv`, csvParts(columns, rows));
    };
    const tasksOfPeriod = `opened_at < $2 AND (${TASKS_SQL.open()} OR updated_at >= $1)`;
    await records('tasks', 'tasks', tasksOfPeriod, TASK_COLUMNS);
    // The answers of each task's latest submission to its form (tasks.json holds them too), one line per answer.
    const submitted = this.pages(
      tx,
      `SELECT id, kind, submitted_by, submitted_at, status->'submission' AS submission FROM tasks
        WHERE ${tasksOfPeriod} AND status->'submission' IS NOT NULL`,
      p,
      (r) => r,
    );
    await zip.file('task-submissions.csv', csvParts(SUBMISSION_COLUMNS, answerLines(submitted)));
    await records(
      'corrective-actions',
      'nonconformities',
      `opened_at < $2 AND (closed_at IS NULL OR closed_at >= $1)`,
      NONCONFORMITY_COLUMNS,
    );
    await records('incidents', 'incidents', `detected_at < $2 AND (closed_at IS NULL OR closed_at >= $1)`, INCIDENT_COLUMNS);
    await writeRecertificationFiles(zip, tx, period);
    await writeAuditProgrammeFiles(zip, tx, period);
    await writeManagementReviewFiles(zip, tx, period);

    const trail = { first: undefined as Row | undefined, last: undefined as Row | undefined, events: 0 };
    await zip.file(
      'audit-trail.jsonl',
      lines(
        this.pages(
          tx,
          `SELECT seq, stream_id, chain, stream_seq, idempotency_key, event, actor_id, occurred_at, detail, prev_hash, hash FROM audit_events
            WHERE occurred_at >= $1 AND occurred_at < $2`,
          p,
          (r) => {
            trail.first ??= r;
            trail.last = r;
            trail.events++;
            return {
              seq: String(r.seq),
              streamId: r.stream_id,
              chain: r.chain,
              streamSeq: r.stream_seq === null ? null : Number(r.stream_seq),
              idempotencyKey: r.idempotency_key,
              event: r.event,
              actorId: r.actor_id,
              occurredAt: iso(r.occurred_at),
              detail: r.detail,
              prevHash: r.prev_hash,
              hash: r.hash,
            };
          },
          'seq',
        ),
      ),
    );
    // Every chain's end as verified (same snapshot): its SHA-256 is the head hash when the trail is intact.
    await zip.file('audit-heads.jsonl', auditHeadLines(tx));
    await zip.file('audit-chain.json', [
      json({
        verifiedAt: generatedAt.toISOString(),
        intact: !chain.firstBroken,
        rows: chain.rows,
        streams: chain.streams,
        headHash: chain.headHash,
        ...(chain.firstBroken ? { firstBroken: chain.firstBroken } : {}),
        period: {
          from: period.from.toISOString(),
          to: period.to.toISOString(),
          events: trail.events,
          firstSeq: trail.first ? String(trail.first.seq) : null,
          lastSeq: trail.last ? String(trail.last.seq) : null,
          prevHashOfFirst: trail.first?.prev_hash ?? null,
          hashOfLast: trail.last?.hash ?? null,
        },
        hashRule:
          'Each row is in one chain. A row with chain "stream" is in its stream\'s own chain: hash = sha256 of the JSON object ' +
          '{prevHash, seq, streamId, streamSeq, idempotencyKey, event, actorId, occurredAt, detail}; prevHash is the hash of the row of the same ' +
          'streamId at streamSeq - 1 (64 zeros at streamSeq 1). A row with chain "global" was written before per-stream chains, in one chain over the ' +
          'whole trail: hash = sha256 of {prevHash, streamId, idempotencyKey, event, actorId, occurredAt, detail}; prevHash is the hash of the global row ' +
          'with the next lower seq (64 zeros for the first). JSON with keys sorted at every level, no whitespace, undefined members left out. ' +
          'Rows of audit-trail.jsonl of one stream with consecutive streamSeq (global rows: consecutive global rows with no other global row between) must chain; ' +
          'a missing position is a row outside the period.',
        headRule:
          'audit-heads.jsonl has one line per chain end: {"chain":"global",...} for the global chain (if it has rows), then {"chain":"stream","streamId",...} ' +
          "per stream in byte order of streamId, each with length (its rows) and headHash (its last row's hash). headHash above (and X-Audit-Chain-Head, " +
          "scope.md) is the sha256 of that file (`sha256sum audit-heads.jsonl`). A stream's row at streamSeq = length has the hash headHash. To check a " +
          'later trail extends this one: every stream of this file still has its row at streamSeq = length with hash headHash (GET /audit-trail?stream=).',
      }),
    ]);
  }

  /** Rows of a query in keyset pages (by id, or by seq for the trail), mapped as they come. */
  private async *pages<T>(
    tx: EntityManager,
    sql: string,
    params: unknown[],
    map: (r: Row) => T,
    key: 'id' | 'seq' = 'id',
  ): AsyncIterable<T> {
    let after: unknown = undefined;
    for (;;) {
      const n = params.length;
      const rows: Row[] = await tx.query(
        `SELECT * FROM (${sql}) q ${after === undefined ? '' : `WHERE q.${key} > $${n + 1}`} ORDER BY q.${key} LIMIT ${PAGE}`,
        after === undefined ? params : [...params, after],
      );
      for (const r of rows) yield map(r);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1][key];
    }
  }
}

/** The CSV columns of each record, as the read models name them. */
const INVENTORY_COLUMNS = [
  'id',
  'name',
  'risk_tier',
  'lifecycle_stage',
  'go_live_date',
  'owner_id',
  'owner_name',
  'owner_email',
  'provider_type',
  'provider_name',
  'deployer',
  'business_unit',
  'compliance_status',
  'created_at',
] as const;
const TASK_COLUMNS = [
  'id',
  'kind',
  'title',
  'subject_type',
  'subject_id',
  'owner_id',
  'state',
  'opened_at',
  'due_at',
  'period',
  'submitted_by',
  'submitted_at',
  'approved_by',
  'approved_at',
  'submissions',
  'rejections',
  'escalation_level',
] as const;
const NONCONFORMITY_COLUMNS = [
  'id',
  'title',
  'grade',
  'source_type',
  'source_ref',
  'state',
  'step',
  'action_owner_id',
  'verifier_id',
  'loops',
  'opened_at',
  'closed_at',
] as const;
const INCIDENT_COLUMNS = [
  'id',
  'system_id',
  'title',
  'severity',
  'state',
  'responder_id',
  'detected_at',
  'acknowledged_at',
  'contained_at',
  'report_due_at',
  'report_submitted_at',
  'any_report_late',
  'closed_at',
] as const;

/** A CSV cell: instants as ISO 8601, JSON as JSON, nothing as empty. */
const SUBMISSION_COLUMNS = ['task_id', 'kind', 'form_kind', 'form_version', 'submitted_by', 'submitted_at', 'field', 'answer'] as const;

/** A task's submission as CSV lines, one per answer: a text as it is, anything else (a list, a number, true) as JSON. */
async function* answerLines(tasks: AsyncIterable<Row>): AsyncIterable<Array<string | null>> {
  for await (const t of tasks) {
    const submission = t.submission as { form?: { kind?: unknown; version?: unknown }; answers?: Record<string, unknown> } | null;
    for (const [field, answer] of Object.entries(submission?.answers ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      yield [
        cell(t.id),
        cell(t.kind),
        cell(submission?.form?.kind),
        cell(submission?.form?.version),
        cell(t.submitted_by),
        iso(t.submitted_at),
        field,
        typeof answer === 'string' ? answer : JSON.stringify(answer),
      ];
    }
  }
}

function cell(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

async function* jsonArray(items: AsyncIterable<unknown>): AsyncIterable<string> {
  let first = true;
  yield '[';
  for await (const item of items) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(item)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

async function* lines(items: AsyncIterable<unknown>): AsyncIterable<string> {
  for await (const item of items) yield `${JSON.stringify(item)}\n`;
}

async function* csvParts(header: readonly string[], rows: AsyncIterable<Array<string | null>>): AsyncIterable<string> {
  yield toCsv(header, []);
  for await (const row of rows) yield toCsv([], [row]).replace(/^\r\n/, '');
}

function scopeStatement(
  period: AuditPeriod,
  generatedAt: Date,
  actor: AuthenticatedPerson,
  timeZone: string,
  inScope: Row[],
  headHash: string,
): string {
  const byTier = new Map<string, number>();
  for (const s of inScope) byTier.set(String(s.risk_tier), (byTier.get(String(s.risk_tier)) ?? 0) + 1);
  return [
    '# AI management system: audit package',
    '',
    `Period: ${period.from.toISOString()} to ${period.to.toISOString()} (end exclusive)`,
    `Generated: ${generatedAt.toISOString()} by ${actor.name} (${actor.id}, ${actor.role})`,
    `Organisation time zone: ${timeZone}`,
    `Audit chain head at generation: ${headHash}`,
    "(the SHA-256 of audit-heads.jsonl: each stream of the audit trail is its own hash chain, and that file lists every chain's length and last hash)",
    '',
    '## Scope',
    '',
    `The AIMS covers the ${inScope.length} AI system(s) of the inventory that are not retired ` +
      `(${[...byTier].map(([tier, n]) => `${n} ${tier}`).join(', ') || 'none'}), listed with their EU AI Act risk tier and owner in ` +
      'inventory.csv and inventory.json, and the Annex A controls as the Statement of Applicability (soa.csv, soa.json) stood at the end of the period.',
    '',
    '## Contents',
    '',
    '- inventory.csv, inventory.json: every AI system registered before the end of the period (retired ones too)',
    '- soa.csv, soa.json: the Statement of Applicability as it stood at the end of the period',
    '- policies.csv, policies.json: the AI policy register (ISO/IEC 42001 5.2, A.2): version, document, owner, approver, last review',
    '- policy-reviews.csv, policy-reviews.json: the policy reviews open during the period (A.2.4), with submissions, outcomes and approvers',
    '- tasks.csv, tasks.json: every cadence task and owned piece of work open during the period, with submissions, approvals and evidence links',
    "- task-submissions.csv: the answers of those tasks' latest submissions to their forms (review checklists, impact assessments, effectiveness checks, incident reports), one line per answer, with the form's kind and version",
    '- corrective-actions.csv, corrective-actions.json: the corrective-action log (ISO/IEC 42001 10.2)',
    '- incidents.csv, incidents.json: incidents open during the period, with their clocks and reports',
    "- inventory-recertifications.csv, inventory-recertifications.json: each system's place in the recertification rounds open during the period (its owner's task, confirmation, current/due/stale)",
    '- audit-programmes.json: the internal audit programmes (ISO/IEC 42001 9.2) open during the period, with their plans, audits, findings and reports',
    '- audit-findings.csv: their findings, one per line, with the nonconformity each raised and the answers to the audit-finding form',
    '- aims-clauses.csv: clauses 4-10 and their owners (auditors never audit what they own)',
    "- management-reviews.json, management-review-decisions.csv: management reviews (ISO/IEC 42001 9.3) open during the period with their packs, proposals and decisions, each decided action's task as it stands",
    "- audit-trail.jsonl: the audit trail's events of the period, one JSON object per line, with their chain, stream position and hashes",
    "- audit-heads.jsonl: every chain's end at generation (its stream, length and last hash); its SHA-256 is the chain head above",
    "- audit-chain.json: every chain verified at generation, the head hash, the period's first and last rows, and the hash and head rules",
    '- MANIFEST.sha256: the SHA-256 of every other file; check it with `sha256sum -c MANIFEST.sha256`',
    '',
    'Records are as they stood at generation; the period chooses which records are included.',
    '',
  ].join('\n');
}
