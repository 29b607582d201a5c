import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import type { RecertificationOwnerView as OwnerView } from '../../../libs/contracts';
import type { RecertificationRoundRecord } from '../../../libs/persistence';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { fieldError } from '../common/validation';
import { ConfirmSystemsDto, PERIOD_PATTERN, RecertificationOwnerView, RecertificationRoundView } from './inventory-recertifications.dto';
import { InventoryRecertificationsService } from './inventory-recertifications.service';

const PERIOD_PARAM = { name: 'period', schema: { type: 'string' as const, pattern: PERIOD_PATTERN, example: '2026-07' } };
const PERIOD = new RegExp(PERIOD_PATTERN);

function checkPeriod(period: string): void {
  if (!PERIOD.test(period)) throw fieldError('period', 'period must be a round period: YYYY or YYYY-MM');
}

@AuthenticatedController('inventory-recertifications', 'inventory-recertifications')
export class InventoryRecertificationsController {
  constructor(private readonly recertifications: InventoryRecertificationsService) {}

  @Get(':period')
  @ApiParam(PERIOD_PARAM)
  @ApiOperation({ summary: 'An inventory recertification round per owner: the task, the systems confirmed and those not (due or stale)' })
  @ApiOkResponse({ type: RecertificationRoundView })
  @ApiBadRequestResponse({ description: 'Malformed period' })
  @ApiNotFoundResponse({ description: 'No round for this period' })
  get(@Param('period') period: string): Promise<RecertificationRoundRecord> {
    checkPeriod(period);
    return this.recertifications.get(period);
  }

  @Post(':period/confirm')
  @HttpCode(200)
  @ApiParam(PERIOD_PARAM)
  @ApiOperation({
    summary:
      "The owner confirms some or all of their systems current (PATCH a system first to update it); once all are confirmed the owner's task is done, answered once it is recorded",
  })
  @ApiOkResponse({ type: RecertificationOwnerView, description: "The owner's systems in the round after the confirmation" })
  @ApiBadRequestResponse({ description: 'Validation failed, or a system that is not one of yours in this round' })
  @ApiForbiddenResponse({ description: 'You have no systems to recertify in this round' })
  @ApiNotFoundResponse({ description: 'No round for this period' })
  @ApiConflictResponse({ description: 'Your recertification is already done (or the round is closed), or still opening' })
  confirm(
    @Param('period') period: string,
    @Body() dto: ConfirmSystemsDto,
    @CurrentPerson() person: AuthenticatedPerson,
  ): Promise<OwnerView> {
    checkPeriod(period);
    return this.recertifications.confirm(period, dto, person);
  }
}
