import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { UuidPipe } from '../common/validation';
import { CreatePersonDto, IssuedTokenView, IssueTokenDto, ListPeopleQueryDto, PersonPage, PersonView, UpdatePersonDto } from './people.dto';
import { PeopleService } from './people.service';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';

@AuthenticatedController('people', 'people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Post()
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Register a person (owner, approver, escalation target)' })
  @ApiCreatedResponse({ type: PersonView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiNotFoundResponse({ description: 'Manager not found' })
  @ApiConflictResponse({ description: 'Email already registered (case-insensitive)' })
  create(@Body() dto: CreatePersonDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<PersonView> {
    return this.people.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List people' })
  @ApiOkResponse({ type: PersonPage })
  list(@Query() q: ListPeopleQueryDto): Promise<PersonPage> {
    return this.people.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One person' })
  @ApiOkResponse({ type: PersonView })
  @ApiNotFoundResponse()
  get(@Param('id', UuidPipe('id')) id: string): Promise<PersonView> {
    return this.people.get(id);
  }

  @Patch(':id')
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Change name, email, role or manager (managerId: null removes it)' })
  @ApiOkResponse({ type: PersonView })
  @ApiBadRequestResponse({ description: 'Validation failed, empty body, or a manager cycle' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Email already registered, or the last admin would lose the role' })
  update(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: UpdatePersonDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<PersonView> {
    return this.people.update(id, dto, actor);
  }

  @Post(':id/tokens')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue an API token for a person; the token is shown only in this response' })
  @ApiCreatedResponse({ type: IssuedTokenView })
  @ApiNotFoundResponse()
  issueToken(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: IssueTokenDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<IssuedTokenView> {
    return this.people.issueToken(id, dto, actor);
  }
}
