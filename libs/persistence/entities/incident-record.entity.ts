import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IncidentState, IncidentStatus } from '../../contracts';
import type { IncidentSeverity } from '../../domain';

/**
 * The read model of one incident workflow (table `incidents`): the API writes version 0 when it
 * opens the incident, the workflow's activities every later version (libs/persistence/read-models.ts).
 */
@Entity({ name: 'incidents' })
export class IncidentRecord {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'system_id', type: 'uuid' }) systemId!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) severity!: IncidentSeverity;
  @Column({ type: 'text' }) state!: IncidentState;
  @Column({ name: 'responder_id', type: 'uuid' }) responderId!: string;
  @Column({ name: 'detected_at', type: 'timestamptz' }) detectedAt!: Date;
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt!: Date;
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true }) acknowledgedAt!: Date | null;
  @Column({ name: 'contained_at', type: 'timestamptz', nullable: true }) containedAt!: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  /** The 72-hour draft report's deadline and submission. */
  @Column({ name: 'report_due_at', type: 'timestamptz' }) reportDueAt!: Date;
  @Column({ name: 'report_submitted_at', type: 'timestamptz', nullable: true }) reportSubmittedAt!: Date | null;
  /** The earliest deadline still outstanding, over every report. */
  @Column({ name: 'next_deadline_at', type: 'timestamptz', nullable: true }) nextDeadlineAt!: Date | null;
  @Column({ name: 'any_report_late', type: 'boolean', default: false }) anyReportLate!: boolean;
  @Column({ type: 'jsonb' }) status!: IncidentStatus;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
