import { Body, Get, Headers, HttpStatus, Param, Patch, Post, Query, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiPayloadTooLargeResponse,
  ApiUnsupportedMediaTypeResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { UuidPipe } from '../common/validation';
import {
  CreateSystemDto,
  ListSystemsQueryDto,
  SignificantChangeDto,
  SignificantChangeView,
  SystemDetailView,
  SystemPage,
  SystemView,
  UpdateSystemDto,
} from './systems.dto';
import { SystemsService } from './systems.service';
import { CSV_COLUMNS, CSV_LIST_SEPARATOR, CSV_REQUIRED_COLUMNS, IMPORT_MAX_ROWS } from './systems-import';
import { ImportQueryDto, SystemImportAccepted, SystemImportJsonBody } from './systems-import.dto';
import { SystemsImportService } from './systems-import.service';
import { IMPORT_BODY_LIMIT } from './import-body';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';

export const CSV_DESCRIPTION =
  `CSV (RFC 4180, UTF-8): a header row, then one system per row. Columns (any order): ${CSV_COLUMNS.join(', ')}; ` +
  `required: ${CSV_REQUIRED_COLUMNS.join(', ')}. provider.type and provider.name fill the nested provider; ` +
  `dataInputs, dataOutputs and oversightMeasures hold items separated by '${CSV_LIST_SEPARATOR}'; an empty cell is an absent field.`;

@AuthenticatedController('systems', 'systems')
export class SystemsController {
  constructor(
    private readonly systems: SystemsService,
    private readonly imports: SystemsImportService,
  ) {}

  @Post('import')
  @Roles('governance_lead')
  @ApiOperation({
    summary: `Import up to ${IMPORT_MAX_ROWS} AI systems at once (CSV or JSON), each checked as POST /systems checks it`,
    description:
      'Every row is checked first; any error is one 400 naming each row (1-based; for CSV also the line) and field, and nothing is written. ' +
      'A valid file is registered in one transaction (each system with its `system.registered` audit event); its Schedules and the work ' +
      "registration opens at once (go-live or initial AIIA, this quarter's review of a high-risk system, the prohibited alert) are then " +
      'created in the background: follow GET /imports/{id} (the Location). `dryRun=true` checks and says what would be created, writing nothing. ' +
      CSV_DESCRIPTION,
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    type: SystemImportJsonBody,
    description: `JSON: { "systems": [...] }; CSV: see the description (its schema is set by csvImportBody)`,
  })
  @ApiAcceptedResponse({
    type: SystemImportAccepted,
    description: 'Registered; the Schedules and work follow (GET /imports/{id}, the Location)',
  })
  @ApiOkResponse({ type: SystemImportAccepted, description: 'dryRun=true: the file is valid; what it would create (nothing was written)' })
  @ApiBadRequestResponse({
    description:
      "A row or the file was refused (every row's errors, the first 100 listed; an unknown or inactive owner and a name already registered, " +
      'or twice in the file, are row errors too); nothing was written',
  })
  @ApiPayloadTooLargeResponse({ description: `More than ${IMPORT_MAX_ROWS} rows, or a body over ${IMPORT_BODY_LIMIT}` })
  @ApiUnsupportedMediaTypeResponse({ description: 'Neither text/csv nor application/json' })
  async importSystems(
    @Req() req: { body?: unknown },
    @Headers('content-type') contentType: string | undefined,
    @Query() q: ImportQueryDto,
    @CurrentPerson() actor: AuthenticatedPerson,
    @Res({ passthrough: true }) res: { status(code: number): unknown; setHeader(name: string, value: string): unknown },
  ): Promise<SystemImportAccepted> {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const format = type === 'text/csv' ? 'csv' : type === 'application/json' ? 'json' : undefined;
    if (!format) throw new UnsupportedMediaTypeException('the body must be text/csv or application/json');
    const out = await this.imports.import(format, req.body, q.dryRun === 'true', actor);
    if (out.id) {
      res.status(HttpStatus.ACCEPTED);
      res.setHeader('Location', `/imports/${out.id}`);
    } else {
      res.status(HttpStatus.OK);
    }
    return out;
  }

  @Post()
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Register an AI system; its cadences are reconciled in the same transaction' })
  @ApiCreatedResponse({ type: SystemView })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiNotFoundResponse({ description: 'Owner not found' })
  @ApiConflictResponse({ description: 'Name already registered (case-insensitive)' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was saved' })
  @ApiBadGatewayResponse({ description: 'Temporal refused the change; nothing was saved' })
  create(@Body() dto: CreateSystemDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<SystemView> {
    return this.systems.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List the AI system inventory' })
  @ApiOkResponse({ type: SystemPage })
  list(@Query() q: ListSystemsQueryDto): Promise<SystemPage> {
    return this.systems.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One AI system, with its inventory recertification (current, due or stale)' })
  @ApiOkResponse({ type: SystemDetailView })
  @ApiNotFoundResponse()
  get(@Param('id', UuidPipe('id')) id: string): Promise<SystemDetailView> {
    return this.systems.get(id);
  }

  @Patch(':id')
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Change an AI system (reclassify, move its lifecycle stage, ...); cadences follow' })
  @ApiOkResponse({ type: SystemView })
  @ApiBadRequestResponse({ description: 'Validation failed or empty body' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Name already registered (case-insensitive)' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was saved' })
  update(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: UpdateSystemDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<SystemView> {
    return this.systems.update(id, dto, actor);
  }

  @Post(':id/significant-change')
  @Roles('governance_lead')
  @ApiOperation({
    summary: 'Record a significant change of an AI system: its AI impact assessment opens at once, due 30 calendar days later',
  })
  @ApiCreatedResponse({ type: SignificantChangeView, description: 'The change is recorded and its AIIA is open' })
  @ApiOkResponse({ type: SignificantChangeView, description: 'The same change (same reason, its AIIA still open) was already recorded' })
  @ApiBadRequestResponse({ description: 'Validation failed (reason missing, blank or too long)' })
  @ApiNotFoundResponse({ description: 'Unknown system' })
  @ApiConflictResponse({ description: 'The system is retired or prohibited: it gets no AI impact assessment' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was recorded' })
  @ApiBadGatewayResponse({ description: 'Temporal refused the start; nothing was recorded' })
  async significantChange(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: SignificantChangeDto,
    @CurrentPerson() actor: AuthenticatedPerson,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ): Promise<SignificantChangeView> {
    const view = await this.systems.significantChange(id, dto, actor);
    if (!view.created) res.status(200);
    return view;
  }
}
