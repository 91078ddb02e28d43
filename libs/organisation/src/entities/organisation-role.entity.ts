import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ORGANISATION_ROLES = ['hr', 'admin'] as const;
export type OrganisationRoleName = (typeof ORGANISATION_ROLES)[number];

@Entity()
export class OrganisationRole {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') organisationId!: string;
  @Column('uuid') personId!: string;
  @Column({ type: 'text' }) role!: OrganisationRoleName;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
