export { AuditModule } from './audit.module';
export {
  AuditService,
  actorOf,
  type AuditActor,
  type AuditEntry,
  type AuditEvent,
} from './audit.service';
