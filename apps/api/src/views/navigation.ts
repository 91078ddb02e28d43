import type { Viewer } from './page-context';

export interface NavLink {
  href: string;
  label: string;
}

/** Where each page of the console lives, so links and controllers agree. */
export const consolePaths = {
  home: '/app',
  overview: (orgId: string) => `/app/organisations/${orgId}`,
  people: (orgId: string) => `/app/organisations/${orgId}/people`,
  person: (orgId: string, personId: string) => `/app/organisations/${orgId}/people/${personId}`,
  signInInvitations: (orgId: string) => `/app/organisations/${orgId}/sign-in-invitations`,
  rosterImport: (orgId: string) => `/app/organisations/${orgId}/import`,
  settings: (orgId: string) => `/app/organisations/${orgId}/settings`,
  audit: (orgId: string) => `/app/organisations/${orgId}/audit`,
  tokens: (orgId: string) => `/app/organisations/${orgId}/tokens`,
  tokenRevoke: (tokenId: string) => `/app/api-tokens/${tokenId}/revoke`,
  exports: (orgId: string) => `/app/organisations/${orgId}/exports`,
  exportStatus: (exportId: string) => `/app/exports/${exportId}`,
  campaigns: (orgId: string) => `/app/organisations/${orgId}/campaigns`,
  newCampaign: (orgId: string) => `/app/organisations/${orgId}/campaigns/new`,
  campaign: (campaignId: string) => `/app/campaigns/${campaignId}`,
  instruments: (orgId: string) => `/app/organisations/${orgId}/instruments`,
  newInstrument: (orgId: string) => `/app/organisations/${orgId}/instruments/new`,
  instrument: (instrumentId: string) => `/app/instruments/${instrumentId}`,
  editInstrument: (instrumentId: string) => `/app/instruments/${instrumentId}/edit`,
  unitReport: (unitId: string) => `/app/units/${unitId}/report`,
  unitCommitments: (unitId: string) => `/app/units/${unitId}/commitments`,
  /** A commitment's edit page: change it, or mark it done or dropped. */
  commitment: (commitmentId: string) => `/app/commitments/${commitmentId}`,
  campaignRounds: (campaignId: string) => `/app/campaigns/${campaignId}/rounds`,
  round: (roundId: string) => `/app/rounds/${roundId}`,
  roundClose: (roundId: string) => `/app/rounds/${roundId}/close`,
  roundRemind: (roundId: string) => `/app/rounds/${roundId}/remind`,
  unitComments: (unitId: string) => `/app/units/${unitId}/comments`,
  commentMark: (unitId: string, commentId: string) =>
    `/app/units/${unitId}/comments/${encodeURIComponent(commentId)}/mark`,
  commentReply: (unitId: string, commentId: string) =>
    `/app/units/${unitId}/comments/${encodeURIComponent(commentId)}/replies`,
  commentModeration: (unitId: string, commentId: string) =>
    `/app/units/${unitId}/comments/${encodeURIComponent(commentId)}/moderation`,
  organisationComments: (orgId: string) => `/app/organisations/${orgId}/comments`,
  commentsCsv: (orgId: string) => `/organisations/${orgId}/comments.csv`,
  signIn: '/sign-in',
  /** The answering page behind a personal link (anonymous, outside the console). */
  answer: (token: string) => `/r/${encodeURIComponent(token)}`,
};

/**
 * The navigation each person sees: a leader their teams; HR the organisation, its people, the
 * roster and the audit log; an admin also setup (settings, API tokens). The access rules on each
 * page decide again; this only decides what is worth a link.
 */
export function navigationFor(viewer: Viewer): NavLink[] {
  const org = viewer.organisationId;
  const hr = viewer.roles.includes('hr');
  const admin = viewer.roles.includes('admin');
  const links: NavLink[] = [{ href: consolePaths.home, label: 'Home' }];
  if (hr || admin) {
    links.push(
      { href: consolePaths.overview(org), label: 'Organisation' },
      { href: consolePaths.people(org), label: 'People' },
      { href: consolePaths.campaigns(org), label: 'Campaigns' },
      { href: consolePaths.instruments(org), label: 'Questionnaires' },
      ...(hr ? [{ href: consolePaths.organisationComments(org), label: 'Comments' }] : []),
      { href: consolePaths.rosterImport(org), label: 'Roster import' },
      { href: consolePaths.audit(org), label: 'Audit log' },
      { href: consolePaths.settings(org), label: 'Settings' },
      { href: consolePaths.tokens(org), label: 'API tokens' },
    );
  }
  return links;
}
