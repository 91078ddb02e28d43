import type { OrganisationRoleName } from '@trellis/organisation';

/** Who is calling, as established by a session cookie, a session bearer token or an API token. */
export interface Principal {
  personId: string;
  organisationId: string;
  name: string;
  email: string;
  roles: OrganisationRoleName[];
  via: 'session' | 'api_token';
  /** The session or API token id, for sign-out and audit. */
  credentialId: string;
}
