export { AccessModule } from './access.module';
export { AccessService } from './access.service';
export {
  decide,
  needsLeaderCheck,
  type AccessRule,
  type Grant,
  type ResourceKind,
  type Caller,
  type Decision,
} from './policy';
export { mayActOnPerson, personActionRefusal, type PersonAction } from './people-policy';
