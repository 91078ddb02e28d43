export { OrganisationModule } from './organisation.module';
export { OrganisationsService, type OrganisationView } from './organisations.service';
export { UnitsService, type UnitView, type UnitScope, type MemberView } from './units.service';
export { PeopleService, type PersonView, type PersonSummary, type Page } from './people.service';
export { RosterImportService, type RosterImportSummary } from './roster/roster-import.service';
export { type RosterProblem } from './roster/roster-csv';
export { UNIT_KINDS, type UnitKind } from './entities/unit.entity';
export { MEMBERSHIP_ROLES, type MembershipRole } from './entities/membership.entity';
export { ORGANISATION_ROLES, type OrganisationRoleName } from './entities/organisation-role.entity';
