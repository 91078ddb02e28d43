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
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
