import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthService } from '@trellis/identity';
import { PeopleService } from '@trellis/organisation';
import { Allow } from '../access/access.decorator';
import { PeopleDirectory } from '../people/people-directory.service';
import { PeopleListQuery } from '../people/people.dto';
import {
  CreatePersonDto,
  SetPasswordDto,
  SetRolesDto,
  UpdatePersonDto,
} from './organisation.dto';

const HR = ['hr', 'admin'] as const;

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly auth: AuthService,
    private readonly directory: PeopleDirectory,
  ) {}

  @Get('organisations/:orgId/people')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({
    summary: 'List and search people: by name or email, team, role and active or not; paged',
  })
  list(@Param('orgId') orgId: string, @Query() query: PeopleListQuery) {
    return this.directory.list(orgId, query);
  }

  @Post('organisations/:orgId/people')
  @Allow('organisation', 'orgId', HR)
  create(@Param('orgId') orgId: string, @Body() body: CreatePersonDto) {
    return this.people.create(orgId, body);
  }

  /** A leader may look up the people in the teams they lead. */
  @Get('people/:personId')
  @Allow('person', 'personId', ['hr', 'admin', 'leader'])
  get(@Param('personId') personId: string) {
    return this.people.get(personId);
  }

  @Patch('people/:personId')
  @Allow('person', 'personId', HR)
  update(@Param('personId') personId: string, @Body() body: UpdatePersonDto) {
    return this.people.rename(personId, body.name);
  }

  @Put('people/:personId/roles')
  @Allow('person', 'personId', ['admin'])
  setRoles(@Param('personId') personId: string, @Body() body: SetRolesDto) {
    return this.people.setRoles(personId, body.roles);
  }

  @Put('people/:personId/password')
  @HttpCode(204)
  @Allow('person', 'personId', ['admin'])
  async setPassword(
    @Param('personId') personId: string,
    @Body() body: SetPasswordDto,
  ): Promise<void> {
    await this.auth.setPassword(personId, body.password);
  }
}
