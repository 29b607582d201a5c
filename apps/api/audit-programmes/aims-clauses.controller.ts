import { Body, Get, Param, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { CLAUSE_ID_PATTERN } from '../../../libs/domain';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { AimsClauseView, UpdateAimsClauseDto } from './aims-clauses.dto';
import { AimsClausesService } from './aims-clauses.service';

@AuthenticatedController('aims-clauses', 'audit-programmes')
export class AimsClausesController {
  constructor(private readonly clauses: AimsClausesService) {}

  @Get()
  @ApiOperation({ summary: 'Clauses 4-10 of ISO/IEC 42001 and their owners (who may not audit them)' })
  @ApiOkResponse({ type: [AimsClauseView] })
  list(): Promise<AimsClauseView[]> {
    return this.clauses.list();
  }

  @Patch(':clause')
  @Roles('governance_lead')
  @ApiOperation({ summary: "Set or clear a clause's owner; versioned in the audit trail (stream aims-clause:<clause>)" })
  @ApiParam({ name: 'clause', schema: { type: 'string', pattern: CLAUSE_ID_PATTERN, example: '9' } })
  @ApiOkResponse({ type: AimsClauseView })
  @ApiBadRequestResponse({ description: 'Validation failed, or a malformed clause' })
  @ApiNotFoundResponse({ description: 'The owner does not exist' })
  update(
    @Param('clause') clause: string,
    @Body() dto: UpdateAimsClauseDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<AimsClauseView> {
    return this.clauses.update(clause, dto, actor);
  }
}
