import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Membership } from './entities/membership.entity';
import { Organisation } from './entities/organisation.entity';
import { OrganisationRole } from './entities/organisation-role.entity';
import { Person } from './entities/person.entity';
import { Unit } from './entities/unit.entity';
import { OrganisationsService } from './organisations.service';
import { PeopleService } from './people.service';
import { RosterImportService } from './roster/roster-import.service';
import { UnitsService } from './units.service';

@Module({
  imports: [TypeOrmModule.forFeature([Organisation, Unit, Person, Membership, OrganisationRole])],
  providers: [OrganisationsService, UnitsService, PeopleService, RosterImportService],
  exports: [OrganisationsService, UnitsService, PeopleService, RosterImportService],
})
export class OrganisationModule {}
