import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { IMPROVEMENT_PROPOSER_ROLES, REVIEW_DECIDER_ROLE } from '../../../libs/contracts';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import type { Page } from '../common/pagination.dto';
import {
  ListManagementReviewsQueryDto,
  ManagementReviewPage,
  ManagementReviewSummaryView,
  ManagementReviewView,
  ProposeImprovementDto,
  RecordDecisionsDto,
  REVIEW_ID_PATTERN,
} from './management-reviews.dto';
import { ManagementReviewsService } from './management-reviews.service';

/** Who reads management reviews: their packs and decisions are audit evidence. */
const REVIEW_READERS = ['auditor', 'governance_lead', 'admin', 'management'] as const;

const ID_PARAM = ApiParam({ name: 'id', schema: { type: 'string', pattern: REVIEW_ID_PATTERN, example: 'management-review:2026' } });

@AuthenticatedController('management-reviews', 'management-reviews')
export class ManagementReviewsController {
  constructor(private readonly reviews: ManagementReviewsService) {}

  @Get()
  @Roles(...REVIEW_READERS)
  @ApiOperation({ summary: 'Management reviews (ISO/IEC 42001 9.3), latest first' })
  @ApiOkResponse({ type: ManagementReviewPage })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  list(@Query() q: ListManagementReviewsQueryDto): Promise<Page<ManagementReviewSummaryView>> {
    return this.reviews.list(q);
  }

  @Get(':id')
  @Roles(...REVIEW_READERS)
  @ID_PARAM
  @ApiOperation({ summary: "One review: its pack (9.3.2), the proposals, the decisions (9.3.3) and each decided action's current state" })
  @ApiOkResponse({ type: ManagementReviewView })
  @ApiBadRequestResponse({ description: 'A malformed review id' })
  @ApiNotFoundResponse({ description: 'No such review' })
  get(@Param('id') id: string): Promise<ManagementReviewView> {
    return this.reviews.get(id);
  }

  @Post(':id/improvements')
  @HttpCode(200)
  @Roles(...IMPROVEMENT_PROPOSER_ROLES)
  @ID_PARAM
  @ApiOperation({ summary: 'Propose an opportunity for improvement before the meeting (9.3.2 e)' })
  @ApiOkResponse({ type: ManagementReviewView, description: 'The review with the proposal recorded' })
  @ApiBadRequestResponse({ description: 'Validation failed' })
  @ApiForbiddenResponse({ description: 'Only top management and governance leads propose' })
  @ApiNotFoundResponse({ description: 'No such review' })
  @ApiConflictResponse({ description: 'The review has its decisions, or is closed' })
  propose(
    @Param('id') id: string,
    @Body() dto: ProposeImprovementDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<ManagementReviewView> {
    return this.reviews.propose(id, dto, actor);
  }

  @Post(':id/decisions')
  @HttpCode(200)
  @Roles(REVIEW_DECIDER_ROLE)
  @ID_PARAM
  @ApiOperation({
    summary:
      "Record top management's decisions (9.3.3): each action opens as a tracked task; answers once those tasks are open and the review is closed",
  })
  @ApiOkResponse({ type: ManagementReviewView, description: 'The closed review, each action with its open task' })
  @ApiBadRequestResponse({ description: 'Validation failed, e.g. an action due in the past or owned by a deactivated person' })
  @ApiForbiddenResponse({ description: "Only top management decide, and only the meeting task's owner" })
  @ApiNotFoundResponse({ description: 'No such review, or no such action owner' })
  @ApiConflictResponse({ description: 'The review already has its decisions, or its meeting is not open yet' })
  decide(
    @Param('id') id: string,
    @Body() dto: RecordDecisionsDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<ManagementReviewView> {
    return this.reviews.decide(id, dto, actor);
  }
}
