import { Body, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/current-person.decorator';
import { Roles } from '../auth/roles.decorator';
import { UuidPipe } from '../common/validation';
import {
  CreatePolicyDto,
  MajorChangeDto,
  MajorChangeView,
  PolicyDetailView,
  PolicyReviewView,
  PolicyView,
  SubmitPolicyReviewDto,
  UpdatePolicyDto,
} from './policies.dto';
import { PoliciesService } from './policies.service';

@AuthenticatedController('policies', 'policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Post()
  @Roles('governance_lead')
  @ApiOperation({ summary: 'Register an AI policy (ISO/IEC 42001 5.2): title, owner, version, document, approver' })
  @ApiCreatedResponse({ type: PolicyView })
  @ApiBadRequestResponse({ description: 'Validation failed (e.g. the approver is the owner, a deactivated owner)' })
  @ApiNotFoundResponse({ description: 'Owner or approver not found' })
  create(@Body() dto: CreatePolicyDto, @CurrentPerson() actor: AuthenticatedPerson): Promise<PolicyView> {
    return this.policies.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'The AI policy register' })
  @ApiOkResponse({ type: [PolicyView] })
  list(): Promise<PolicyView[]> {
    return this.policies.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One AI policy, with its open and past reviews and the next yearly review' })
  @ApiOkResponse({ type: PolicyDetailView })
  @ApiNotFoundResponse()
  get(@Param('id', UuidPipe('id')) id: string): Promise<PolicyDetailView> {
    return this.policies.get(id);
  }

  @Patch(':id')
  @Roles('governance_lead')
  @ApiOperation({
    summary: "Change a policy's title, owner, document link or approver (its version changes only through an approved review)",
  })
  @ApiOkResponse({ type: PolicyView })
  @ApiBadRequestResponse({ description: 'Validation failed or empty body' })
  @ApiNotFoundResponse({ description: 'Unknown policy, owner or approver' })
  update(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: UpdatePolicyDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<PolicyView> {
    return this.policies.update(id, dto, actor);
  }

  @Post(':id/major-change')
  @Roles('governance_lead')
  @ApiOperation({ summary: "Record a major change: the policy's review opens at once for its owner, due 30 calendar days later" })
  @ApiCreatedResponse({ type: MajorChangeView, description: 'The change is recorded and its review task is open' })
  @ApiOkResponse({ type: MajorChangeView, description: 'The same change (same reason, its review still open) was already recorded' })
  @ApiBadRequestResponse({ description: 'Validation failed (reason missing, blank or too long)' })
  @ApiNotFoundResponse({ description: 'Unknown policy' })
  @ApiServiceUnavailableResponse({ description: 'Temporal unreachable; nothing was recorded' })
  @ApiBadGatewayResponse({ description: 'Temporal refused the start; nothing was recorded' })
  async majorChange(
    @Param('id', UuidPipe('id')) id: string,
    @Body() dto: MajorChangeDto,
    @CurrentPerson() actor: AuthenticatedPerson,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ): Promise<MajorChangeView> {
    const view = await this.policies.majorChange(id, dto, actor);
    if (!view.created) res.status(200);
    return view;
  }

  @Post(':id/reviews/:key/submit')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The owner submits a review: the version after it (the current one: reviewed, no change; a new one: revised); approved on the review's task",
  })
  @ApiParam({
    name: 'key',
    schema: { type: 'string', example: 'major-change-1', pattern: '^(\\d{4}(-\\d{2})?|major-change-[1-9]\\d{0,5})$' },
  })
  @ApiOkResponse({ type: PolicyReviewView, description: 'Submitted: the task awaits approval by someone other than the owner' })
  @ApiBadRequestResponse({ description: 'Validation failed (e.g. a new document with the same version)' })
  @ApiForbiddenResponse({ description: 'Only the owner of the review submits it' })
  @ApiNotFoundResponse({ description: 'Unknown policy or review' })
  @ApiConflictResponse({ description: 'The review is not open for a submission (submitted, approved, closed)' })
  submit(
    @Param('id', UuidPipe('id')) id: string,
    @Param('key') key: string,
    @Body() dto: SubmitPolicyReviewDto,
    @CurrentPerson() actor: AuthenticatedPerson,
  ): Promise<PolicyReviewView> {
    return this.policies.submitReview(id, key, dto, actor);
  }
}
