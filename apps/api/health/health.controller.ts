import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { HealthReport, HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: PostgreSQL and Temporal reachable' })
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { database: 'up', temporal: 'up' } } } })
  @ApiServiceUnavailableResponse({
    schema: {
      example: { status: 'error', checks: { database: 'up', temporal: 'down' }, errors: { temporal: 'No connection established' } },
    },
  })
  async get(@Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<HealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
