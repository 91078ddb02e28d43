import { OrganisationModel1763900000000 } from './1763900000000-organisation-model';
import { Surveys1763910000000 } from './1763910000000-surveys';
import { Results1763920000000 } from './1763920000000-results';
import { Commitments1763930000000 } from './1763930000000-commitments';
import { ExportsAuditNotifications1763940000000 } from './1763940000000-exports-audit-notifications';
import { RoundUnitVisibility1764100000000 } from './1764100000000-round-unit-visibility';
import { SealedAnswers1764200000000 } from './1764200000000-sealed-answers';
import { JobFailures1764400000000 } from './1764400000000-job-failures';
import { ResultsBasis1764500000000 } from './1764500000000-results-basis';
import { RoundShownComposition1764600000000 } from './1764600000000-round-shown-composition';
import { PeopleAccess1764900000000 } from './1764900000000-people-access';
import { LiveRounds1765100000000 } from './1765100000000-live-rounds';
import { CommitmentNotes1765200000000 } from './1765200000000-commitment-notes';
import { FavourableDirection1765300000000 } from './1765300000000-favourable-direction';
import { CommentPlacementMarks1765500000000 } from './1765500000000-comment-placement-marks';
import { CommentConversations1765600000000 } from './1765600000000-comment-conversations';

/** Listed explicitly (not globbed) so bundled builds carry them. Append; never edit a landed one. */
export const migrations = [
  OrganisationModel1763900000000,
  Surveys1763910000000,
  Results1763920000000,
  Commitments1763930000000,
  ExportsAuditNotifications1763940000000,
  RoundUnitVisibility1764100000000,
  SealedAnswers1764200000000,
  JobFailures1764400000000,
  ResultsBasis1764500000000,
  RoundShownComposition1764600000000,
  PeopleAccess1764900000000,
  LiveRounds1765100000000,
  CommitmentNotes1765200000000,
  FavourableDirection1765300000000,
  CommentPlacementMarks1765500000000,
  CommentConversations1765600000000,
];
