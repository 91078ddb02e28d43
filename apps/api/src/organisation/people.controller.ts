import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthService } from '@trellis/identity';
import { PeopleService } from '@trellis/organisation';
import { Allow } from '../access/access.decorator';
import { Audited } from '../audit/audited.decorator';
import { PeopleDirectory } from '../people/people-directory.service';
import { PeopleListQuery } from '../people/people.dto';
import { CreatePersonDto, SetPasswordDto, SetRolesDto, UpdatePersonDto } from './organisation.dto';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { PeoplePageDto, PersonDto } from './organisation.response';

const HR = ['hr', 'admin'] as const;

@ApiTags('organisation')
@ApiSignedIn()
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
  @ApiOkResponse({ type: PeoplePageDto })
  @ApiErrors(400, 404)
  list(@Param('orgId') orgId: string, @Query() query: PeopleListQuery): Promise<PeoplePageDto> {
    return this.directory.list(orgId, query);
  }

  @Post('organisations/:orgId/people')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Add a person (without a password: they cannot sign in yet)' })
  @ApiCreatedResponse({ type: PersonDto })
  @ApiErrors(400, 404, 409)
  create(@Param('orgId') orgId: string, @Body() body: CreatePersonDto): Promise<PersonDto> {
    return this.people.create(orgId, body);
  }

  /** A leader may look up the people in the teams they lead. */
  @Get('people/:personId')
  @Allow('person', 'personId', ['hr', 'admin', 'leader'])
  @ApiOperation({ summary: 'A person with their roles and team memberships' })
  @ApiOkResponse({ type: PersonDto })
  @ApiErrors(400, 404)
  get(@Param('personId') personId: string): Promise<PersonDto> {
    return this.people.get(personId);
  }

  @Patch('people/:personId')
  @Allow('person', 'personId', HR)
  @ApiOperation({ summary: 'Rename a person' })
  @ApiOkResponse({ type: PersonDto })
  @ApiErrors(400, 404)
  update(@Param('personId') personId: string, @Body() body: UpdatePersonDto): Promise<PersonDto> {
    return this.people.rename(personId, body.name);
  }

  @Put('people/:personId/roles')
  @Allow('person', 'personId', ['admin'])
  @Audited('person.roles_set', { kind: 'person', param: 'personId' })
  @ApiOperation({
    summary: "Set a person's organisation roles (HR, admin); replaces the ones they had",
  })
  @ApiOkResponse({ type: PersonDto })
  @ApiErrors(400, 404, 409)
  setRoles(@Param('personId') personId: string, @Body() body: SetRolesDto): Promise<PersonDto> {
    return this.people.setRoles(personId, body.roles);
  }

  @Put('people/:personId/password')
  @HttpCode(204)
  @Allow('person', 'personId', ['admin'])
  @Audited('person.password_set_by_admin', { kind: 'person', param: 'personId' })
  @ApiOperation({ summary: "Set or remove a person's password; ends their sessions" })
  @ApiNoContentResponse({ description: 'Set' })
  @ApiErrors(400, 404)
  async setPassword(
    @Param('personId') personId: string,
    @Body() body: SetPasswordDto,
  ): Promise<void> {
    await this.auth.setPassword(personId, body.password);
  }
}
