import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TaskState, TaskStatus } from '../../contracts';

/**
 * The read model of one governanceTask (table `tasks`), keyed by its workflow id.
 * Written only by idempotent activities (upsert if `version` is newer); read-only for the API.
 */
@Entity({ name: 'tasks' })
export class TaskRecord {
  /** The workflow id. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'text' })
  state!: TaskState;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'cadence_id', type: 'text', nullable: true })
  cadenceId!: string | null;

  @Column({ type: 'text', nullable: true })
  period!: string | null;

  @Column({ name: 'submitted_by', type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  submissions!: number;

  @Column({ type: 'int', default: 0 })
  rejections!: number;

  @Column({ name: 'escalation_level', type: 'int', default: 0 })
  escalationLevel!: number;

  @Column({ name: 'next_step_key', type: 'text', nullable: true })
  nextStepKey!: string | null;

  @Column({ name: 'next_step_at', type: 'timestamptz', nullable: true })
  nextStepAt!: Date | null;

  /** The full TaskStatus snapshot. */
  @Column({ type: 'jsonb' })
  status!: TaskStatus;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
