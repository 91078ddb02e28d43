import { OrganisationModel1763900000000 } from './1763900000000-organisation-model';

/** Listed explicitly (not globbed) so bundled builds carry them. Append; never edit a landed one. */
export const migrations = [OrganisationModel1763900000000];
