import { Injectable } from '@nestjs/common';
import type { JSX } from 'preact';
import type { Request, Response } from 'express';
import { AppConfig } from '@trellis/config';
import { pageContextOf, type PageContextValue } from './page-context';
import { sendPage } from './render';

/** How page controllers answer: a component rendered in this request's context. */
@Injectable()
export class Pages {
  constructor(private readonly config: AppConfig) {}

  context(req: Request, res: Response): PageContextValue {
    return pageContextOf(req, res, this.config.env.COOKIE_SECURE);
  }

  send(req: Request, res: Response, page: JSX.Element, status = 200): void {
    sendPage(res, this.context(req, res), page, status);
  }

  /**
   * A page for someone who must stay unknown (the answering page behind a personal link): no
   * viewer even if a session cookie came along, no CSRF token and so no cookie set, and not the
   * path (it holds the link's secret). Its forms must not need a token (@LinkCredential).
   */
  sendAnonymous(res: Response, page: JSX.Element, status = 200): void {
    sendPage(res, { csrf: '', path: '/' }, page, status);
  }
}
