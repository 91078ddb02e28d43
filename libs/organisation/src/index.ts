export { OrganisationModule } from './organisation.module';
export { anonymityOf } from './anonymity-of';
export { OrganisationsService, type OrganisationView } from './organisations.service';
export { UnitsService, type UnitView, type UnitScope, type MemberView } from './units.service';
export { PeopleService, type PersonView, type PersonSummary, type Page } from './people.service';
export { RosterImportService, type RosterImportSummary } from './roster/roster-import.service';
export { type RosterProblem } from './roster/roster-csv';
export {
  fileDigest,
  hasChanges,
  planDigest,
  type MembershipRef,
  type MembershipRoleChange,
  type PersonRef,
  type PersonRename,
  type RosterPlan,
  type UnitChange,
  type UnitRef,
} from './roster/roster-plan';
export { UNIT_KINDS, type UnitKind } from './entities/unit.entity';
export { MEMBERSHIP_ROLES, type MembershipRole } from './entities/membership.entity';
export { ORGANISATION_ROLES, type OrganisationRoleName } from './entities/organisation-role.entity';
