import type { IncomingMessage } from 'node:http';
import { ForbiddenException, type PipeTransform } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  ThrottlerGuard,
  getOptionsToken,
  getStorageToken,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { AppConfig, httpLogOptions } from '@trellis/config';
import { PulseService } from '@trellis/surveys';
import { AllExceptionsFilter } from '../common/all-exceptions.filter';
import { routeJsonParser } from '../common/body-parsers';
import { createValidationPipe } from '../common/validation.pipe';
import { PulseController, pulseReceived } from './pulse.controller';

/** `POST /pulse/<link>` exactly as a client of the JSON API sends it: lower case, no query, no slash after. */
const INTAKE_PATH = /^\/pulse\/(p_[A-Za-z0-9_-]{43})$/;

/**
 * The link of a request the fast path takes, or null for one it leaves to Nest. It takes only
 * what it can answer exactly as the route would: no session cookie and no Authorization header
 * (the access guard would look those up, and refuse a malformed one), and the plain path.
 */
export function intakeToken(req: IncomingMessage): string | null {
  if (req.method !== 'POST') return null;
  if (req.headers.authorization !== undefined || req.headers.cookie !== undefined) return null;
  return INTAKE_PATH.exec(req.url ?? '')?.[1] ?? null;
}

/**
 * Answer intake without Nest's router: POST /pulse/:token is the one route a whole organisation
 * calls at once (Monday 09:00), and Nest's per-request machinery (router, guards, interceptors
 * and pipes as observables and promises, and a second router walk) cost the API more CPU than
 * the submission itself (README, Performance). Installed ahead of the cookie and body parsers
 * (it takes no cookie, and a JSON body only): the body is read by the very parser the route's
 * requests get (routeJsonParser), and a body it refuses goes on as an error exactly as from
 * there. Then the same steps the route takes, with the same instances' logic: the request log line (the logging module's settings), the per-address
 * limit (the same guard class, storage and throttlers, keyed as for PulseController.submit), the
 * validation pipe on the link and the body, PulseService.submit, and its receipt or its error
 * through the same exception filter. Every other request, and any request to this path with a
 * cookie, an Authorization header, a query or another spelling, goes on to the route.
 */
export function pulseIntake(
  app: NestExpressApplication,
  limits: { maxBodyBytes: number; maxJsonBodyBytes: number },
) {
  const json = routeJsonParser(limits);
  const pulse = app.get(PulseService);
  const log = pinoHttp(httpLogOptions('api', app.get(AppConfig)));
  const guard = new ThrottlerGuard(
    app.get<ThrottlerModuleOptions>(getOptionsToken()),
    app.get<ThrottlerStorage>(getStorageToken()),
    app.get(Reflector),
  );
  const guardReady = guard.onModuleInit();
  const pipe: PipeTransform = createValidationPipe();
  const filter = new AllExceptionsFilter();
  const handler = Object.getOwnPropertyDescriptor(PulseController.prototype, 'submit')!.value as (
    ...args: unknown[]
  ) => unknown;

  async function submit(token: string, context: ExecutionContextHost, req: Request) {
    await guardReady;
    // Nest refuses a request whose guard says false with exactly this.
    if (!(await guard.canActivate(context))) throw new ForbiddenException('Forbidden resource');
    const link = (await pipe.transform(token, {
      type: 'param',
      data: 'token',
      metatype: String,
    })) as string;
    const body: unknown = await pipe.transform(req.body, { type: 'body', metatype: Object });
    return pulseReceived(await pulse.submit(link, body));
  }

  return (req: Request, res: Response, next: NextFunction): void => {
    const token = intakeToken(req);
    // Any other body (a form, a file, none with another type) is the route's to refuse or take.
    if (token === null || !json.takes(req)) return next();
    json.parse(req, res, (refused?: unknown) => {
      if (refused) return next(refused);
      log(req, res);
      const context = new ExecutionContextHost([req, res, next], PulseController, handler);
      context.setType('http');
      submit(token, context, req).then(
        (received) => {
          res.status(201).json(received);
        },
        (error: unknown) => filter.catch(error, context),
      );
    });
  };
}
