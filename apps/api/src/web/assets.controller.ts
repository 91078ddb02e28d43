import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../access/access.decorator';
import { CHART_JS } from './assets';

/** Static scripts the report pages need; served by the API so no page loads anything external. */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  @Get('chart.umd.min.js')
  @Public()
  chartJs(@Res() res: Response): void {
    res
      .status(200)
      .set({
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'same-origin',
      })
      .send(CHART_JS);
  }
}
