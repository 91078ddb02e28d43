import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Request, Response } from 'express';
import type { OrganisationRoleName } from '@trellis/organisation';
import type { AuthedRequest } from '../access/access.guard';
import { csrfTokenFor } from '../access/csrf';

/** Who is looking at a page; undefined on pages for people who are not signed in. */
export interface Viewer {
  personId: string;
  organisationId: string;
  name: string;
  roles: readonly OrganisationRoleName[];
}

/** What every page of one request shares: the viewer, the CSRF token its forms carry, the path. */
export interface PageContextValue {
  viewer?: Viewer;
  csrf: string;
  /** The path asked for, for "you are here" in the navigation and the return after sign-in. */
  path: string;
}

export const PageContext = createContext<PageContextValue>({ csrf: '', path: '/' });

export function usePage(): PageContextValue {
  return useContext(PageContext);
}

export function viewerOf(req: AuthedRequest): Viewer | undefined {
  const p = req.principal;
  return p
    ? { personId: p.personId, organisationId: p.organisationId, name: p.name, roles: p.roles }
    : undefined;
}

export function pageContextOf(
  req: Request,
  res: Response,
  secureCookies: boolean,
): PageContextValue {
  return {
    viewer: viewerOf(req as AuthedRequest),
    csrf: csrfTokenFor(req, res, secureCookies),
    path: req.originalUrl,
  };
}
