import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CADENCE_KINDS, CadenceKind } from '../../../libs/domain';
import { IMPORT_ITEM_STATES, ImportItemState, SYSTEM_IMPORT_STATUSES, SystemImportStatus } from '../../../libs/persistence';
import { REGISTRATION_WORK_KINDS, RegistrationWorkKind } from '../cadences/cadence-reconciler';
import { CreateSystemDto } from './systems.dto';
import { IMPORT_MAX_ROWS } from './systems-import';

export class ImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: check the file and say what it would create; write nothing (200)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: "dryRun must be 'true' or 'false'" })
  dryRun?: 'true' | 'false';
}

/** The JSON body (the CSV body's columns are in the operation's description). */
export class SystemImportJsonBody {
  @ApiProperty({ type: [CreateSystemDto], maxItems: IMPORT_MAX_ROWS, description: 'One POST /systems body per system' })
  systems!: CreateSystemDto[];
}

export class PlannedCadenceView {
  @ApiProperty({ enum: CADENCE_KINDS }) kind!: CadenceKind;
  @ApiProperty({ type: String, nullable: true, description: 'The Schedule id (null in a dry run: the system has no id yet)' }) id!:
    string | null;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [Number], description: 'Months (1-12) it runs in' }) months!: number[];
  @ApiProperty() dayOfMonth!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'No run before this instant' }) startAt!: string | null;
}

export class PlannedWorkView {
  @ApiProperty({ enum: REGISTRATION_WORK_KINDS }) kind!: RegistrationWorkKind;
  @ApiProperty({ type: String, nullable: true, description: 'Its workflow id (null in a dry run)' }) taskId!: string | null;
}

export class ImportedRowView {
  @ApiProperty({ description: '1-based data row' }) row!: number;
  @ApiPropertyOptional({ description: 'CSV: the line the row ends on' }) line?: number;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null in a dry run' }) systemId!: string | null;
  @ApiProperty({ type: [PlannedCadenceView] }) cadences!: PlannedCadenceView[];
  @ApiProperty({ type: [PlannedWorkView], description: 'Work opened at once, as POST /systems opens it' }) work!: PlannedWorkView[];
}

export class ImportCountsView {
  @ApiProperty() total!: number;
}

/** `POST /systems/import` (202, or 200 for a dry run). */
export class SystemImportAccepted {
  @ApiPropertyOptional({ format: 'uuid', description: 'The import (GET /imports/:id); absent in a dry run, which records none' })
  id?: string;
  @ApiProperty({ enum: ['dry-run', ...SYSTEM_IMPORT_STATUSES] }) status!: 'dry-run' | SystemImportStatus;
  @ApiProperty({ enum: ['csv', 'json'] }) format!: 'csv' | 'json';
  @ApiProperty() rows!: number;
  @ApiProperty({ type: ImportCountsView }) schedules!: ImportCountsView;
  @ApiProperty({ type: ImportCountsView }) work!: ImportCountsView;
  @ApiProperty({ type: [ImportedRowView] }) systems!: ImportedRowView[];
}

export class ImportScheduleProgressView {
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'Created, or found already there (a resumed import)' }) created!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() pending!: number;
}

export class ImportWorkItemView {
  @ApiProperty() row!: number;
  @ApiProperty({ format: 'uuid' }) systemId!: string;
  @ApiProperty({ enum: REGISTRATION_WORK_KINDS }) kind!: RegistrationWorkKind;
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: IMPORT_ITEM_STATES }) state!: ImportItemState;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class ImportWorkProgressView {
  @ApiProperty() total!: number;
  @ApiProperty() opened!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() pending!: number;
  @ApiProperty({ type: [ImportWorkItemView], description: 'The work, in row order (at most 1000 listed)' }) items!: ImportWorkItemView[];
}

export class ImportFailureView {
  @ApiProperty({ description: 'The Schedule id or the workflow id' }) ref!: string;
  @ApiProperty() error!: string;
}

/** `GET /imports/:id`. */
export class SystemImportView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SYSTEM_IMPORT_STATUSES, description: 'running, completed, or failed (some Schedule or work was refused)' })
  status!: SystemImportStatus;
  @ApiProperty({ enum: ['csv', 'json'] }) format!: 'csv' | 'json';
  @ApiProperty() rows!: number;
  @ApiProperty({ format: 'uuid' }) actorId!: string;
  @ApiProperty({ type: ImportScheduleProgressView }) schedules!: ImportScheduleProgressView;
  @ApiProperty({ type: ImportWorkProgressView }) work!: ImportWorkProgressView;
  @ApiProperty({ type: [ImportFailureView], description: 'The first 100 failures with their reasons' }) failures!: ImportFailureView[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
}
