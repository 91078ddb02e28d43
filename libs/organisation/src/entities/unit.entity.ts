import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const UNIT_KINDS = ['organisation', 'department', 'team'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** A node of an organisation's tree; the organisation itself is the root unit. */
@Entity()
export class Unit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') organisationId!: string;
  @Column({ type: 'uuid', nullable: true }) parentId!: string | null;
  @Column({ type: 'text' }) kind!: UnitKind;
  @Column() key!: string;
  @Column() name!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
