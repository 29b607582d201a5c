import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { LifecycleStage, RiskTier } from '../../domain';
import { Person } from './person.entity';

export const PROVIDER_TYPES = ['internal', 'third_party'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const COMPLIANCE_STATUSES = ['not_assessed', 'compliant', 'partially_compliant', 'non_compliant'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/** One entry of the AI system inventory. Table `ai_systems`. */
@Entity({ name: 'ai_systems' })
export class AiSystem {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Unique case-insensitively (index ai_systems_name_key on lower(name)). */
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  /** Intended purpose and context of use. */
  @Column({ type: 'text' })
  purpose!: string;

  @Column({ name: 'provider_type', type: 'text' })
  providerType!: ProviderType;

  /** Required when the provider is a third party. */
  @Column({ name: 'provider_name', type: 'text', nullable: true })
  providerName!: string | null;

  /** Deployer / operator. */
  @Column({ type: 'text' })
  deployer!: string;

  /** The accountable business owner. */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => Person, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'owner_id' })
  owner?: Person;

  @Column({ name: 'business_unit', type: 'text', nullable: true })
  businessUnit!: string | null;

  @Column({ name: 'risk_tier', type: 'text' })
  riskTier!: RiskTier;

  @Column({ name: 'lifecycle_stage', type: 'text' })
  lifecycleStage!: LifecycleStage;

  /** ISO date (YYYY-MM-DD) or null. */
  @Column({ name: 'go_live_date', type: 'date', nullable: true })
  goLiveDate!: string | null;

  @Column({ name: 'data_inputs', type: 'jsonb', default: () => `'[]'` })
  dataInputs!: string[];

  @Column({ name: 'data_outputs', type: 'jsonb', default: () => `'[]'` })
  dataOutputs!: string[];

  @Column({ name: 'oversight_measures', type: 'jsonb', default: () => `'[]'` })
  oversightMeasures!: string[];

  @Column({ name: 'compliance_status', type: 'text', default: 'not_assessed' })
  complianceStatus!: ComplianceStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
