import { OrganisationModel1763900000000 } from './1763900000000-organisation-model';
import { Surveys1763910000000 } from './1763910000000-surveys';

/** Listed explicitly (not globbed) so bundled builds carry them. Append; never edit a landed one. */
export const migrations = [OrganisationModel1763900000000, Surveys1763910000000];
