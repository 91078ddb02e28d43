import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

/** The text of a CSV upload; files travel as text/csv (or text/plain) bodies, nothing else. */
export function csvBody(req: Request, body: unknown): string {
  if (!req.is('text/csv') && !req.is('text/plain')) {
    throw new UnsupportedMediaTypeException({
      statusCode: 415,
      message: 'body: send the file as text/csv',
    });
  }
  return typeof body === 'string' ? body : '';
}
