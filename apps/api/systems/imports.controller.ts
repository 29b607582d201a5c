import { Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuthenticatedController } from '../auth/authenticated-controller.decorator';
import { Roles } from '../auth/roles.decorator';
import { UuidPipe } from '../common/validation';
import { SystemImportView } from './systems-import.dto';
import { SystemsImportService } from './systems-import.service';

@AuthenticatedController('imports', 'systems')
export class ImportsController {
  constructor(private readonly imports: SystemsImportService) {}

  @Get(':id')
  @Roles('governance_lead')
  @ApiOperation({
    summary:
      'A bulk import of the inventory: its Schedules created of their total, the work it opened, failures with their reasons, its state',
  })
  @ApiOkResponse({ type: SystemImportView })
  @ApiNotFoundResponse({ description: 'Unknown import' })
  get(@Param('id', UuidPipe('id')) id: string): Promise<SystemImportView> {
    return this.imports.get(id);
  }
}
