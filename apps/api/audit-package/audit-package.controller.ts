import { Get, Logger, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { AuditPackageQueryDto } from './audit-package.dto';
import { AuditPackageService } from './audit-package.service';
import type { ZipSink } from './zip-writer';

/** The bits of Express's response the streamed package uses. */
interface PackageResponse extends ZipSink {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  readonly headersSent: boolean;
  destroy(err?: Error): unknown;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

@AuthenticatedController('audit-package', 'audit-trail')
export class AuditPackageController {
  private readonly logger = new Logger('AuditPackage');

  constructor(private readonly packages: AuditPackageService) {}

  @Get()
  @Roles('auditor', 'governance_lead')
  @ApiOperation({
    summary:
      'A ZIP for a period: scope, inventory, SoA, tasks, corrective actions, incidents, the audit trail, its chain heads, and MANIFEST.sha256 (sha256sum -c)',
  })
  @ApiProduces('application/zip')
  @ApiOkResponse({
    description:
      "The package; the X-Audit-Chain-Head header carries the chain head hash at generation: the SHA-256 of its audit-heads.jsonl (every stream chain's length and last hash)",
    content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiBadRequestResponse({ description: 'Validation failed, e.g. `to` before `from`' })
  async download(
    @Query() q: AuditPackageQueryDto,
    @CurrentPerson() actor: AuthenticatedPerson,
    @Res() res: PackageResponse,
  ): Promise<void> {
    const period = this.packages.period(q);
    try {
      await this.packages.write(period, actor, res, (headHash) => {
        res.status(200);
        res.setHeader('Content-Type', 'application/zip');
        res.setHeader('Content-Disposition', `attachment; filename="aims-audit-package-${day(period.from)}-${day(period.to)}.zip"`);
        res.setHeader('X-Audit-Chain-Head', headHash);
      });
    } catch (err) {
      // Before the first byte the error answers as any other; after it, the ZIP is cut short.
      if (!res.headersSent) throw err;
      this.logger.error(`audit package cut short: ${(err as Error).message}`);
      res.destroy(err as Error);
    }
  }
}
