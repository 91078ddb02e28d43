import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity()
export class Person {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') organisationId!: string;
  /** Always lower-case; unique within the organisation. */
  @Column() email!: string;
  @Column() name!: string;
  /** argon2id; null for people who only answer surveys and never sign in. */
  @Column({ type: 'text', nullable: true, select: false }) passwordHash!: string | null;
  /**
   * Set while the person is deactivated: they cannot sign in (their sessions and API tokens stop
   * at once) and are not invited to new rounds; what they answered before stays as it was.
   */
  @Column({ type: 'timestamptz', nullable: true }) deactivatedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
