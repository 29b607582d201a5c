import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PolicyReviewStatus } from '../../contracts';

/** One AI policy of the register (table `policies`); written by libs/persistence/policies.ts only. */
@Entity({ name: 'policies' })
export class Policy {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ name: 'owner_id', type: 'uuid' }) ownerId!: string;
  @Column({ type: 'text' }) version!: string;
  @Column({ name: 'document_url', type: 'text' }) documentUrl!: string;
  @Column({ name: 'approved_by', type: 'uuid', nullable: true }) approvedBy!: string | null;
  @Column({ name: 'last_reviewed_at', type: 'timestamptz', nullable: true }) lastReviewedAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

/** The read model of one policyReview workflow (table `policy_reviews`). */
@Entity({ name: 'policy_reviews' })
export class PolicyReviewRecord {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ name: 'policy_id', type: 'uuid' }) policyId!: string;
  @Column({ name: 'review_key', type: 'text' }) reviewKey!: string;
  @Column({ type: 'text' }) trigger!: PolicyReviewStatus['trigger'];
  @Column({ name: 'task_id', type: 'text' }) taskId!: string;
  @Column({ type: 'text' }) state!: PolicyReviewStatus['state'];
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt!: Date;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt!: Date;
  @Column({ name: 'approved_by', type: 'uuid', nullable: true }) approvedBy!: string | null;
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true }) approvedAt!: Date | null;
  @Column({ type: 'jsonb' }) status!: PolicyReviewStatus;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
