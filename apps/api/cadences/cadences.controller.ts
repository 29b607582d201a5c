import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { fieldError, UuidPipe, ValidationFailedException } from '../common/validation';
import {
  CadenceListQueryDto,
  CadenceListView,
  CadenceNoteDto,
  CadenceViewDto,
  OrgCadenceSettingDto,
  OrgCadenceViewDto,
  OrgTriggeredView,
  SystemCadenceListItemDto,
  TriggeredView,
} from './cadences.dto';
import { CADENCE_ID_PATTERN, CadencesService, parseCadencePathId } from './cadences.service';
import type { CadenceView } from './schedule-spec';
import type { OrgCadenceView } from './org-cadences';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';

/** `POST /cadences/:id/trigger` takes no body: any field is a 400 naming it. */
function refuseBody(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) throw fieldError('body', 'no body is expected');
  const keys = Object.keys(body);
  if (keys.length) throw new ValidationFailedException(keys.map((k) => ({ field: k, messages: [`property ${k} should not exist`] })));
}

/** The cadence id in the path, as `parseCadencePathId` accepts it. */
const CADENCE_ID_PARAM = {
  name: 'id',
  description: 'A cadence id: <kind>:<system id>, or org:<kind> for an org-wide cadence',
  schema: { type: 'string' as const, pattern: CADENCE_ID_PATTERN },
};

/** Either view: a per-system cadence or an org-wide one. */
const EITHER_VIEW = { oneOf: [{ $ref: getSchemaPath(CadenceViewDto) }, { $ref: getSchemaPath(OrgCadenceViewDto) }] };

@AuthenticatedController('', 'cadences')
@ApiExtraModels(CadenceViewDto, OrgCadenceViewDto, SystemCadenceListItemDto, OrgTriggeredView, TriggeredView)
export class CadencesController {
  constructor(private readonly cadences: CadencesService) {}

  @Get('cadences')
  @Roles('governance_lead', 'admin', 'management', 'auditor')
  @ApiOperation({
    summary:
      'Every cadence with its next run times from Temporal: the org-wide ones first (first page), then a page of per-system ones; ?scope=org|system',
  })
  @ApiOkResponse({ type: CadenceListView })
  @ApiBadRequestResponse({ description: 'Validation failed (scope, limit, cursor)' })
  @ApiServiceUnavailableResponse({ description: 'Temporal did not answer in time' })
  listAll(@Query() q: CadenceListQueryDto): Promise<{ items: unknown[]; nextCursor: string | null }> {
    return this.cadences.list(q);
  }

  @Patch('cadences/:id')
  @ApiParam(CADENCE_ID_PARAM)
  @Roles('governance_lead')
  @ApiOperation({
    summary:
      "Change an org-wide cadence's interval or first month (the Schedule's calendar follows); per-system cadences follow their system",
  })
  @ApiOkResponse({ type: OrgCadenceViewDto })
  @ApiBadRequestResponse({ description: 'Malformed id or body, or an interval the cadence does not allow (the allowed ones are named)' })
  @ApiNotFoundResponse({ description: 'No such Schedule' })
  @ApiConflictResponse({ description: 'A per-system cadence: its calendar follows the system' })
  change(@Param('id') id: string, @Body() dto: OrgCadenceSettingDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<OrgCadenceView> {
    parseCadencePathId(id);
    return this.cadences.changeSetting(id, dto, actor);
  }

  @Get('systems/:id/cadences')
  @ApiOperation({ summary: "The system's recurring cadences as Temporal Schedules, with their next run times" })
  @ApiOkResponse({ type: [CadenceViewDto] })
  @ApiBadRequestResponse({ description: 'Malformed system id' })
  @ApiNotFoundResponse({ description: 'Unknown system' })
  @ApiServiceUnavailableResponse({ description: 'Temporal did not answer in time' })
  list(@Param('id', UuidPipe('id')) id: string): Promise<CadenceView[]> {
    return this.cadences.listForSystem(id);
  }

  @Post('cadences/:id/trigger')
  @ApiParam(CADENCE_ID_PARAM)
  @HttpCode(200)
  @Roles('governance_lead')
  @ApiOperation({
    summary: "Run a cadence's cycle now: answers with the current period's task once it is open (opened now, or the one already open)",
  })
  @ApiOkResponse({
    description: "A per-system cadence's task, or an org-wide cadence's round and its tasks",
    schema: { oneOf: [{ $ref: getSchemaPath(TriggeredView) }, { $ref: getSchemaPath(OrgTriggeredView) }] },
  })
  @ApiBadRequestResponse({ description: 'Malformed cadence id, or a body' })
  @ApiNotFoundResponse({ description: 'No such Schedule' })
  @ApiConflictResponse({
    description:
      'The system is no longer in scope of the cadence, or its yearly AIIA is not due before the first anniversary of go-live; an org-wide round this build does not have yet',
  })
  trigger(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<TriggeredView | OrgTriggeredView> {
    parseCadencePathId(id);
    refuseBody(body);
    return this.cadences.trigger(id, actor);
  }

  @Post('cadences/:id/pause')
  @ApiParam(CADENCE_ID_PARAM)
  @HttpCode(200)
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Pause a cadence (no cycle runs until it is unpaused)' })
  @ApiOkResponse({ schema: EITHER_VIEW })
  @ApiBadRequestResponse({ description: 'Malformed cadence id or body' })
  @ApiNotFoundResponse({ description: 'No such Schedule' })
  @ApiConflictResponse({ description: 'Already paused' })
  pause(
    @Param('id') id: string,
    @Body() dto: CadenceNoteDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<CadenceView | OrgCadenceView> {
    parseCadencePathId(id);
    return this.cadences.pause(id, actor, dto.note);
  }

  @Post('cadences/:id/unpause')
  @ApiParam(CADENCE_ID_PARAM)
  @HttpCode(200)
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Resume a paused cadence' })
  @ApiOkResponse({ schema: EITHER_VIEW })
  @ApiBadRequestResponse({ description: 'Malformed cadence id or body' })
  @ApiNotFoundResponse({ description: 'No such Schedule' })
  @ApiConflictResponse({ description: 'Not paused' })
  unpause(
    @Param('id') id: string,
    @Body() dto: CadenceNoteDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<CadenceView | OrgCadenceView> {
    parseCadencePathId(id);
    return this.cadences.unpause(id, actor, dto.note);
  }
}
