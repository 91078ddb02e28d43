export {
  ARCHETYPES,
  ARCHETYPE_PROFILES,
  ARCHETYPE_TRANSITIONS,
  DEFAULT_ARCHETYPE_MIX,
  DIMENSION_KEYS,
  PLANTED_FLAGS,
  isArchetype,
  type Archetype,
  type ArchetypeProfile,
  type DimensionKey,
  type DimensionProfile,
  type PlantedFlag,
} from './archetypes';
export {
  NOISE,
  generateOrganisation,
  historyCsv,
  type GenerateOptions,
  type SyntheticOrganisation,
  type SyntheticResponse,
  type SyntheticRound,
  type SyntheticTeam,
} from './generator';
export { Rng, hashSeed, mulberry32 } from './prng';
export {
  archetypeTruth,
  confusion,
  flagTruth,
  respondentCounts,
  teamRoundKey,
  type Confusion,
  type TruthOptions,
} from './truth';
export { FIRST_NAMES, LAST_NAMES } from './names';
export {
  COMMENT_VOICES,
  teamComments,
  voiceTexts,
  type CommentVoice,
  type SyntheticComments,
} from './comments';
