import type { ArgumentsHost } from '@nestjs/common';
import { QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DomainError, InvalidInput, invalid } from '@trellis/errors';
import { QueueUnavailableError } from '@trellis/jobs';
import { AllExceptionsFilter } from './all-exceptions.filter';

/** The response the filter writes for an error, headers included. */
function answer(error: unknown): {
  status: number;
  headers: Record<string, string>;
  body: unknown;
} {
  const out = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const res = {
    headersSent: false,
    getHeader: (name: string) => out.headers[name.toLowerCase()],
    setHeader: (name: string, value: string) => (out.headers[name.toLowerCase()] = value),
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: unknown) {
      out.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  const filter = new AllExceptionsFilter();
  (filter as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
  filter.catch(error, host);
  return out;
}

describe('errors of an unavailable backing service', () => {
  it('a query runner released while PostgreSQL shuts down is a 503 with Retry-After, not a 500', () => {
    const out = answer(new QueryRunnerProviderAlreadyReleasedError());
    expect(out.status).toBe(503);
    expect(Number(out.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a queue that would wait on a dead Redis is a 503 with Retry-After', () => {
    const out = answer(new QueueUnavailableError('Redis is reconnecting'));
    expect(out.status).toBe(503);
    expect(Number(out.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a terminated session is a 503 too, and our own bugs stay 500 without Retry-After', () => {
    expect(answer(Object.assign(new Error('terminated'), { code: '57P01' })).status).toBe(503);
    const bug = answer(new TypeError('x is undefined'));
    expect(bug.status).toBe(500);
    expect(bug.headers['retry-after']).toBeUndefined();
  });
});

describe('domain errors', () => {
  it('InvalidInput answers 400 with the same body as every other refusal naming fields', () => {
    const problems = [{ field: 'dueOn', message: 'must be a date that exists' }];
    const out = answer(new InvalidInput(problems));
    expect(out.status).toBe(400);
    expect(out.body).toEqual(answer(invalid(problems)).body);
  });

  it('each code has its status, and nothing of a domain error becomes a 500', () => {
    expect(answer(new DomainError('not_found', 'unit not found')).status).toBe(404);
    expect(answer(new DomainError('conflict', 'name: already exists')).status).toBe(409);
    expect(answer(new DomainError('gone', 'expired')).status).toBe(410);
    const unavailable = answer(new DomainError('unavailable', 'recomputing'));
    expect(unavailable.status).toBe(503);
    expect(Number(unavailable.headers['retry-after'])).toBeGreaterThan(0);
  });
});
