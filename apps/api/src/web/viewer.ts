import type { AuthedRequest } from '../access/access.guard';
import type { Viewer } from './report-pages';

/** Who is looking, for the page header; HR and admins also get a link to the overview. */
export function viewerOf(req: AuthedRequest): Viewer {
  const p = req.principal!;
  const wide = p.roles.some((r) => r === 'hr' || r === 'admin');
  return {
    name: p.name,
    overviewHref: wide ? `/app/organisations/${p.organisationId}` : undefined,
  };
}
