import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NonconformityStatus } from '../../contracts';
import type { CorrectiveActionStep, NonconformityGrade, NonconformitySource } from '../../domain';

/** The read model of one correctiveAction workflow (table `nonconformities`): the corrective-action log. */
@Entity({ name: 'nonconformities' })
export class NonconformityRecord {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'source_type', type: 'text' }) sourceType!: NonconformitySource;
  @Column({ name: 'source_ref', type: 'text' }) sourceRef!: string;
  @Column({ type: 'text' }) grade!: NonconformityGrade;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) state!: 'open' | 'closed';
  @Column({ type: 'text' }) step!: CorrectiveActionStep;
  @Column({ name: 'action_owner_id', type: 'uuid' }) actionOwnerId!: string;
  @Column({ name: 'verifier_id', type: 'uuid' }) verifierId!: string;
  @Column({ type: 'int', default: 0 }) loops!: number;
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt!: Date;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ type: 'jsonb' }) status!: NonconformityStatus;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
