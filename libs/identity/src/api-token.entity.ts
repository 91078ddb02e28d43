import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A long-lived bearer token for an integration; only its SHA-256 is stored. */
@Entity()
export class ApiToken {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') organisationId!: string;
  @Column('uuid') personId!: string;
  @Column() name!: string;
  @Column({ select: false }) tokenHash!: string;
  /** The last characters, so people can tell tokens apart without the secret. */
  @Column() tokenHint!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}
