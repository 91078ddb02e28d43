export { AuditModule } from './audit.module';
export {
  AuditService,
  actorOf,
  type AuditActor,
  type AuditEntry,
  type AuditEvent,
  AUDIT_KINDS,
  AUDIT_KIND_NAMES,
  type AuditKind,
  type AuditFilters,
  type AuditActorOption,
} from './audit.service';
