import { Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import { FormList, FormView } from './forms.dto';
import { FormsService } from './forms.service';

@AuthenticatedController('forms', 'forms')
export class FormsController {
  constructor(private readonly forms: FormsService) {}

  @Get()
  @ApiOperation({ summary: 'The forms work is submitted with, one per kind of work that has one, by kind' })
  @ApiOkResponse({ type: FormList })
  list(): FormList {
    return { items: this.forms.list() };
  }

  @Get(':kind')
  @ApiParam({
    name: 'kind',
    description: 'A kind of work with a form, e.g. high-risk-review, aiia, effectiveness-check (a task’s formKind)',
    schema: { type: 'string', minLength: 1, maxLength: 64 },
  })
  @ApiOperation({ summary: 'The current form of a kind of work: its version and fields' })
  @ApiOkResponse({ type: FormView })
  @ApiNotFoundResponse({ description: 'No form for this kind of work (it is submitted with a summary alone)' })
  get(@Param('kind') kind: string): FormView {
    return this.forms.get(kind);
  }
}
