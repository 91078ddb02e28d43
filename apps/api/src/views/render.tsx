import type { JSX } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Response } from 'express';
import { PAGE_HEADERS } from './csp';
import { PageContext, type PageContextValue } from './page-context';

/**
 * A page as a string. Preact escapes every text child and attribute value, so nothing a person
 * typed can become markup; the one way round that (dangerouslySetInnerHTML) is refused by lint.
 */
export function renderPage(context: PageContextValue, page: JSX.Element): string {
  return `<!doctype html>${renderToString(
    <PageContext.Provider value={context}>{page}</PageContext.Provider>,
  )}`;
}

/** Sends a page with the one set of page headers (CSP, no caching, no framing). */
export function sendPage(
  res: Response,
  context: PageContextValue,
  page: JSX.Element,
  status = 200,
): void {
  res.status(status).set(PAGE_HEADERS).send(renderPage(context, page));
}
