import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ANNEX_A_CONTROLS, CONTROL_ID_PATTERN, isAnnexAControl, SoaEntry, soaEntryProblems } from '../../../libs/domain';
import { currentSoa, SoaRecord, soaAsOf, soaEntryForUpdate, writeSoaEntry } from '../../../libs/persistence';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { toCsv } from '../common/csv';
import { requireActivePerson } from '../common/inactive-person';
import { fieldError, ValidationFailedException } from '../common/validation';
import { SoaEntryView, SoaQueryDto, SoaView, UpdateSoaEntryDto } from './soa.dto';

const CONTROL_ID = new RegExp(CONTROL_ID_PATTERN);
const CATALOG = new Map(ANNEX_A_CONTROLS.map((c) => [c.id, c]));

/** A control id from the path: a malformed one is a 400 on `controlId`, an unknown one a 404. */
export function parseControlId(controlId: string): string {
  if (!CONTROL_ID.test(controlId)) throw fieldError('controlId', 'controlId must be an Annex A control id such as A.6.2.4');
  if (!isAnnexAControl(controlId)) throw new NotFoundException(`Annex A has no control ${controlId}`);
  return controlId;
}

/** The Statement of Applicability: read as it is or as it stood, exported, changed one control at a time. */
@Injectable()
export class SoaService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(q: SoaQueryDto): Promise<SoaView> {
    const asOf = q.asOf ? new Date(q.asOf) : new Date();
    return soaView(q.asOf ? await soaAsOf(this.db, asOf) : await currentSoa(this.db), asOf);
  }

  /** The SoA as CSV, one line per control in the standard's order. */
  async csv(q: SoaQueryDto): Promise<string> {
    return soaCsv(await this.get(q));
  }

  async update(controlId: string, dto: UpdateSoaEntryDto, actor: AuthenticatedPerson): Promise<SoaEntryView> {
    parseControlId(controlId);
    if (!Object.values(dto).some((v) => v !== undefined)) throw fieldError('body', 'at least one field to change is required');
    return this.db.transaction(async (tx) => {
      const current = await soaEntryForUpdate(tx, controlId);
      if (!current) throw new NotFoundException(`Annex A has no control ${controlId}`);
      if (dto.version !== undefined && dto.version !== current.version) {
        throw new ConflictException(`control ${controlId} is at version ${current.version}, not ${dto.version}: read it again`);
      }
      const next: SoaEntry = {
        controlId,
        applicability: dto.applicability ?? current.applicability,
        // Including a control again drops the exclusion's reason unless a new one is given.
        justification:
          dto.justification !== undefined ? dto.justification : dto.applicability === 'applicable' ? null : current.justification,
        ownerId: dto.ownerId !== undefined ? dto.ownerId : current.ownerId,
        implementationStatus: dto.implementationStatus ?? current.implementationStatus,
        evidence: dto.evidence ?? current.evidence,
      };
      const problems = soaEntryProblems(next);
      if (problems.length) throw new ValidationFailedException(problems.map((p) => ({ field: p.field, messages: [p.message] })));
      if (next.ownerId && next.ownerId !== current.ownerId) await requireActivePerson(tx, 'ownerId', next.ownerId, 'owner');
      if (sameEntry(next, current)) return toView(current);
      return toView(await writeSoaEntry(tx, current, next, actor.id, new Date()));
    });
  }
}

/** The SoA's answer over its lines as they stood at `asOf`. */
export function soaView(records: SoaRecord[], asOf: Date): SoaView {
  const controls = records.map(toView);
  const count = (p: (c: SoaEntryView) => boolean) => controls.filter(p).length;
  return {
    asOf: asOf.toISOString(),
    summary: {
      controls: controls.length,
      applicable: count((c) => c.applicability === 'applicable'),
      excluded: count((c) => c.applicability === 'excluded'),
      undecided: count((c) => c.applicability === 'undecided'),
      implemented: count((c) => c.applicability === 'applicable' && c.implementationStatus === 'implemented'),
    },
    controls,
  };
}

export function soaCsv(view: SoaView): string {
  return toCsv(
    [
      'control_id',
      'objective_id',
      'objective',
      'control',
      'applicability',
      'justification',
      'owner_id',
      'implementation_status',
      'evidence',
      'version',
      'updated_at',
    ],
    view.controls.map((c) => [
      c.controlId,
      c.objectiveId,
      c.objectiveTitle,
      c.title,
      c.applicability,
      c.justification,
      c.ownerId,
      c.implementationStatus,
      c.evidence.join(' | '),
      c.version,
      c.updatedAt ?? '',
    ]),
  );
}

function sameEntry(a: SoaEntry, b: SoaEntry): boolean {
  return (
    a.applicability === b.applicability &&
    a.justification === b.justification &&
    a.ownerId === b.ownerId &&
    a.implementationStatus === b.implementationStatus &&
    JSON.stringify(a.evidence) === JSON.stringify(b.evidence)
  );
}

function toView(r: SoaRecord): SoaEntryView {
  const c = CATALOG.get(r.controlId)!;
  return {
    controlId: r.controlId,
    title: c.title,
    objectiveId: c.objectiveId,
    objectiveTitle: c.objectiveTitle,
    applicability: r.applicability,
    justification: r.justification,
    ownerId: r.ownerId,
    implementationStatus: r.implementationStatus,
    evidence: r.evidence,
    version: r.version,
    ...(r.version > 0 ? { updatedAt: r.updatedAt.toISOString() } : {}),
    updatedBy: r.updatedBy,
  };
}
