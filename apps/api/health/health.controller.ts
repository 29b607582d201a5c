import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Public } from '../auth/public.decorator';
import { HealthReport, HealthService } from './health.service';

const CHECK_STATE: SchemaObject = { type: 'string', enum: ['up', 'down'] };
const HEALTH_REPORT: SchemaObject = {
  type: 'object',
  required: ['status', 'checks', 'checkedAt'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    checks: {
      type: 'object',
      required: ['database', 'temporal'],
      properties: { database: CHECK_STATE, temporal: CHECK_STATE },
    },
    errors: {
      type: 'object',
      description: 'Why a check is down',
      properties: { database: { type: 'string' }, temporal: { type: 'string' } },
    },
    checkedAt: {
      type: 'string',
      format: 'date-time',
      description: 'When the background checks this answer reports finished (they run every AIMS_HEALTH_INTERVAL_MS)',
    },
  },
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Liveness and readiness: PostgreSQL and Temporal reachable',
    description:
      'The result of the last background check of both (every AIMS_HEALTH_INTERVAL_MS, each with a 3-second deadline), ' +
      'as of `checkedAt`: a probe costs neither dependency a call. Before the first check has finished, the probe waits for it.',
  })
  @ApiOkResponse({
    schema: {
      ...HEALTH_REPORT,
      example: { status: 'ok', checks: { database: 'up', temporal: 'up' }, checkedAt: '2026-11-30T09:00:00.000Z' },
    },
  })
  @ApiServiceUnavailableResponse({
    schema: {
      ...HEALTH_REPORT,
      example: {
        status: 'error',
        checks: { database: 'up', temporal: 'down' },
        errors: { temporal: 'No connection established' },
        checkedAt: '2026-11-30T09:00:00.000Z',
      },
    },
  })
  async get(@Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<HealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
