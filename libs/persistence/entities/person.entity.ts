import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../contracts';

/** A person known to the AIMS: owner, approver, escalation target. Table `people`. */
@Entity({ name: 'people' })
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Unique case-insensitively (index people_email_key on lower(email)). */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'manager_id', type: 'uuid', nullable: true })
  managerId!: string | null;

  @ManyToOne(() => Person, { nullable: true, createForeignKeyConstraints: false })
  @JoinColumn({ name: 'manager_id' })
  manager?: Person | null;

  /** False once deactivated: the person cannot authenticate nor be given new work. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** When the person was deactivated; null while active. */
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
