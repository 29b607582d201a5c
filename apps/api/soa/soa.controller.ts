import { Body, Get, Param, Patch, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiExtraModels,
  getSchemaPath,
} from '@nestjs/swagger';
import { CONTROL_ID_PATTERN } from '../../../libs/domain';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { SoaEntryView, SoaQueryDto, SoaView, UpdateSoaEntryDto } from './soa.dto';
import { SoaService } from './soa.service';

/** The bits of Express's response the CSV answer sets. */
interface CsvResponse {
  type(contentType: string): unknown;
  setHeader(name: string, value: string): unknown;
}

@AuthenticatedController('soa', 'statement-of-applicability')
@ApiExtraModels(SoaView)
export class SoaController {
  constructor(private readonly soa: SoaService) {}

  @Get()
  @ApiOperation({ summary: 'The Statement of Applicability: every Annex A control, now or as it stood at `asOf`; JSON or CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SoaView) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  async get(@Query() q: SoaQueryDto, @Res({ passthrough: true }) res: CsvResponse): Promise<SoaView | string> {
    if (q.format !== 'csv') return this.soa.get(q);
    const csv = await this.soa.csv(q);
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="statement-of-applicability.csv"`);
    return csv;
  }

  @Patch(':controlId')
  @Roles('governance_lead')
  @ApiOperation({
    summary: "Change one control's line: applicable or excluded (with a justification), owner, implementation status, evidence",
  })
  @ApiParam({ name: 'controlId', schema: { type: 'string', pattern: CONTROL_ID_PATTERN, example: 'A.6.2.4' } })
  @ApiOkResponse({ type: SoaEntryView })
  @ApiBadRequestResponse({ description: 'Validation failed, e.g. an exclusion without a justification, or a malformed control id' })
  @ApiNotFoundResponse({ description: 'Annex A has no such control, or the owner does not exist' })
  @ApiConflictResponse({ description: 'The line changed since the version given' })
  update(
    @Param('controlId') controlId: string,
    @Body() dto: UpdateSoaEntryDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<SoaEntryView> {
    return this.soa.update(controlId, dto, actor);
  }
}
