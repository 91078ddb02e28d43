import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../access/access.decorator';
import { assets } from './assets';

/** The stylesheet and browser scripts the pages load: served here, so no page loads anything external. */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  @Get(':name')
  @Public()
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = assets().get(name);
    if (!asset) throw new NotFoundException({ statusCode: 404, message: 'no such asset' });
    res
      .status(200)
      .set({
        'content-type': asset.contentType,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'same-origin',
      })
      .send(asset.body);
  }
}
