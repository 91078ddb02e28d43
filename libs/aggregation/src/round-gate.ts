import {
  compositions,
  decideFigure,
  decideVisibility,
  duplicateAnswers,
  historyGuard,
  ownGroupId,
  withOwnGroups,
  type AnonymitySettings,
  type AnsweredMember,
  type Composition,
  type FigureVisibility,
  type UnitVisibility,
} from '@trellis/anonymity';
import type { TeamDimensionRow, UnitRow } from './aggregation.repository';

/** A team's people behind one dimension's figure, as a composition key of that dimension alone. */
function figureTeam(dimension: string, team: string): string {
  return `${dimension}:${team}`;
}

function figureComposition(dimension: string, c: Composition): Composition {
  return new Map([...c].map(([team, n]) => [figureTeam(dimension, team), n]));
}

/** One row of `round_unit_visibility`. */
export type StoredDecision = {
  round_id: string;
  unit_id: string;
  own: boolean;
  respondents: number;
  shown: boolean;
  reason: string;
};

/**
 * What of a round may be stored, decided once by `libs/anonymity` over the round's tree: each
 * unit's aggregate and each unit's own respondents (a group of its own), then each dimension's
 * figure at every one of those. Aggregation writes only what this lets through, and stores the
 * decision beside the results so readers use the very decision the numbers were gated by.
 * `earlier` holds the compositions shown for the round by its earlier derivations: no unit is
 * shown now whose people differ from one of those by 1..k−1 (a reorganisation in between).
 */
export class RoundGate {
  readonly units: Map<string, UnitVisibility>;
  private readonly compositions: Map<string, Composition>;
  private readonly figures = new Map<string, Map<string, FigureVisibility>>();
  private readonly figureCompositions = new Map<string, Map<string, Composition>>();

  constructor(
    private readonly roundId: string,
    tree: readonly UnitRow[],
    respondents: ReadonlyMap<string, number>,
    teamRows: readonly TeamDimensionRow[],
    answered: readonly AnsweredMember[],
    settings: AnonymitySettings,
    earlier: readonly Composition[] = [],
  ) {
    const duplicates = duplicateAnswers(tree, answered);
    const groups = withOwnGroups(
      tree.map((u) => ({
        id: u.id,
        parentId: u.parentId,
        respondents: respondents.get(u.id) ?? 0,
      })),
    );
    this.compositions = compositions(groups);
    const canShow = historyGuard(this.compositions, earlier, settings.minGroupSize, answered);
    this.units = decideVisibility(groups, { roundClosed: true }, settings, duplicates, canShow);
    const counted = new Map<string, Map<string, number>>();
    for (const r of teamRows) {
      const perUnit = counted.get(r.dimension) ?? new Map<string, number>();
      perUnit.set(r.unitId, r.n);
      counted.set(r.dimension, perUnit);
    }
    for (const [dimension, perUnit] of counted) {
      // The figure's people sit where the unit's respondents sit: in its own group.
      const counts = groups.map((g) => {
        const owner = g.parentId !== null && g.id === ownGroupId(g.parentId) ? g.parentId : null;
        return {
          id: g.id,
          parentId: g.parentId,
          n: owner === null ? 0 : (perUnit.get(owner) ?? 0),
        };
      });
      // Over time per figure too: a unit whose respondents differ by ≥ k from before may still
      // show a dimension whose own people differ by fewer (those who skipped it). A figure's
      // compositions live in a namespace of their own, so they meet only the same dimension's.
      const figureCompositions = new Map(
        [...compositions(counts.map((c) => ({ ...c, respondents: c.n })))].map(([id, c]) => [
          id,
          figureComposition(dimension, c),
        ]),
      );
      this.figureCompositions.set(dimension, figureCompositions);
      const canShowFigure = historyGuard(
        figureCompositions,
        earlier,
        settings.minGroupSize,
        answered.map((a) => ({ ...a, unitId: figureTeam(dimension, a.unitId) })),
      );
      this.figures.set(
        dimension,
        decideFigure(counts, this.units, settings, duplicates, canShowFigure),
      );
    }
  }

  /** The unit's own respondents may be shown: its items, quadrant and flags. */
  ownShown(unitId: string): boolean {
    return this.units.get(ownGroupId(unitId))?.shown ?? false;
  }

  /** The unit's aggregate of this dimension (a rollup, or its own row when nothing below adds to it). */
  aggregateShown(unitId: string, dimension: string): boolean {
    return this.figures.get(dimension)?.get(unitId)?.shown ?? false;
  }

  /**
   * The unit's own respondents' figure of this dimension. It is also the unit's aggregate when
   * nothing below adds to it, so it needs both decisions: a reader that falls back to it must
   * never find it where the aggregate was withheld.
   */
  ownFigureShown(unitId: string, dimension: string): boolean {
    return (
      this.aggregateShown(unitId, dimension) &&
      (this.figures.get(dimension)?.get(ownGroupId(unitId))?.shown ?? false)
    );
  }

  /** What each shown aggregate is made of, to hold the round's later derivations to. */
  shownCompositions(): Composition[] {
    const figures = [...this.figures].flatMap(([dimension, decided]) =>
      [...decided]
        .filter(([, v]) => v.shown)
        .map(
          ([id]) => this.figureCompositions.get(dimension)?.get(id) ?? new Map<string, number>(),
        ),
    );
    return [
      ...[...this.units]
        .filter(([, v]) => v.shown)
        .map(([id]) => this.compositions.get(id) ?? new Map<string, number>()),
      ...figures,
    ];
  }

  decisions(): StoredDecision[] {
    const owners = new Map([...this.units.keys()].map((id) => [ownGroupId(id), id]));
    return [...this.units].map(([id, v]) => {
      const owner = owners.get(id);
      return {
        round_id: this.roundId,
        unit_id: owner ?? id,
        own: owner !== undefined,
        respondents: v.respondents,
        shown: v.shown,
        reason: v.reason,
      };
    });
  }
}
