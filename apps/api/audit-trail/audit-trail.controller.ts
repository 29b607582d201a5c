import { Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import { Roles } from '../auth/roles.decorator';
import type { Page } from '../common/pagination.dto';
import { AuditChainView, AuditEventPage, AuditEventView, AuditTrailQueryDto } from './audit-trail.dto';
import { AuditTrailService } from './audit-trail.service';

/** Who reads the trail: auditors, and those who answer to them. */
const TRAIL_READERS = ['auditor', 'governance_lead'] as const;

@AuthenticatedController('audit-trail', 'audit-trail')
export class AuditTrailController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @Roles(...TRAIL_READERS)
  @ApiOperation({
    summary: 'The audit trail in seq order (each stream chained by streamSeq), filtered by stream, subject, actor and time range',
  })
  @ApiOkResponse({ type: AuditEventPage })
  @ApiBadRequestResponse({ description: 'Validation failed, e.g. `to` before `from`' })
  list(@Query() q: AuditTrailQueryDto): Promise<Page<AuditEventView>> {
    return this.trail.list(q);
  }

  @Get('verify')
  @Roles(...TRAIL_READERS)
  @ApiOperation({
    summary:
      "Walk every stream's hash chain to its head: rows and streams verified, the digest of the heads, and the first row that does not match, if any",
  })
  @ApiOkResponse({ type: AuditChainView })
  verify(): Promise<AuditChainView> {
    return this.trail.verify();
  }
}
