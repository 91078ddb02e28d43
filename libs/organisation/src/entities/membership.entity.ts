import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const MEMBERSHIP_ROLES = ['member', 'leader'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

@Entity()
export class Membership {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') organisationId!: string;
  @Column('uuid') personId!: string;
  @Column('uuid') unitId!: string;
  @Column({ type: 'text' }) role!: MembershipRole;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
