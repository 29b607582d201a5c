import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { fieldError, UuidPipe, ValidationFailedException } from '../common/validation';
import { CadenceNoteDto, CadenceViewDto, TriggeredView } from './cadences.dto';
import { CADENCE_ID_PATTERN, CadencesService, parseCadencePathId } from './cadences.service';
import type { CadenceView } from './schedule-spec';
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
  description: 'A cadence id: <kind>:<system id>',
  schema: { type: 'string' as const, pattern: CADENCE_ID_PATTERN },
};

@AuthenticatedController('', 'cadences')
export class CadencesController {
  constructor(private readonly cadences: CadencesService) {}

  @Get('systems/:id/cadences')
  @ApiOperation({ summary: "The system's recurring cadences as Temporal Schedules, with their next run times" })
  @ApiOkResponse({ type: [CadenceViewDto] })
  @ApiBadRequestResponse({ description: 'Malformed system id' })
  @ApiNotFoundResponse({ description: 'Unknown system' })
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
  @ApiOkResponse({ type: TriggeredView })
  @ApiBadRequestResponse({ description: 'Malformed cadence id, or a body' })
  @ApiNotFoundResponse({ description: 'No such Schedule' })
  @ApiConflictResponse({
    description: 'The system is no longer in scope of the cadence, or its yearly AIIA is not due before the first anniversary of go-live',
  })
  trigger(@Param('id') id: string, @Body() body: unknown, @CurrentPerson() actor: AuthenticatedPerson): Promise<TriggeredView> {
    parseCadencePathId(id);
    refuseBody(body);
    return this.cadences.trigger(id, actor);
  }

  @Post('cadences/:id/pause')
  @ApiParam(CADENCE_ID_PARAM)
  @HttpCode(200)
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Pause a cadence (no cycle runs until it is unpaused)' })
  @ApiOkResponse({ type: CadenceViewDto })
  @ApiBadRequestResponse({ description: 'Malformed cadence id or body' })
  @ApiNotFoundResponse({ description: 'No such Schedule' })
  @ApiConflictResponse({ description: 'Already paused' })
  pause(@Param('id') id: string, @Body() dto: CadenceNoteDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<CadenceView> {
    parseCadencePathId(id);
    return this.cadences.pause(id, actor, dto.note);
  }

  @Post('cadences/:id/unpause')
  @ApiParam(CADENCE_ID_PARAM)
  @HttpCode(200)
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Resume a paused cadence' })
  @ApiOkResponse({ type: CadenceViewDto })
  @ApiBadRequestResponse({ description: 'Malformed cadence id or body' })
  @ApiNotFoundResponse({ description: 'No such Schedule' })
  @ApiConflictResponse({ description: 'Not paused' })
  unpause(@Param('id') id: string, @Body() dto: CadenceNoteDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<CadenceView> {
    parseCadencePathId(id);
    return this.cadences.unpause(id, actor, dto.note);
  }
}
