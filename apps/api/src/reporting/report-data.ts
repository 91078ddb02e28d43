/**
 * What the report pages hand their browser script (report.browser.ts) in <Layout data={…}>:
 * the shown figures each chart draws, nothing more. Plain types without imports, so the server
 * (which builds it from the view model) and the browser bundle check against the same shape.
 */

export interface ChartScale {
  min: number;
  max: number;
  labels?: string[];
}

export interface ChartInterval {
  mean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface ChartDimension extends ChartInterval {
  key: string;
  name: string;
  benchmark: ChartInterval | null;
}

export type ChartRound = { round: { periodStart: string } } & (
  | {
      shown: true;
      autonomy: number | null;
      alignment: number | null;
      dimensions: (ChartInterval & { key: string })[];
    }
  | { shown: false }
);

export interface ChartItem {
  dimension: string;
  text: string;
  reverse: boolean;
  distribution: number[];
  /** How each answer value reads (after reverse keying and direction); decides its colour. */
  tones: ('favourable' | 'neutral' | 'unfavourable')[];
}

/** The team report: scores against the organisation, trends, the quadrant path, answers. */
export interface UnitReportData {
  kind: 'unit';
  report: {
    scale: ChartScale | null;
    /** Each dimension's scale where it differs from `scale` (a 0..4 dimension beside 1..5). */
    dimensionScales: { dimension: string; scale: ChartScale }[];
    /** The latest round, when it may be shown (the page draws no chart otherwise). */
    latest: { round: { periodStart: string }; shown: true; dimensions: ChartDimension[] } | null;
    trends: ChartRound[];
    items: ChartItem[];
  };
}

export interface ChartParticipation {
  periodStart: string;
  /** The campaign's name (or "imported history"): the chart draws one line per campaign. */
  campaign: string;
  respondents: number;
  responseRate: number | null;
}

/** The organisation overview: its participation chart (the heat map is a table). */
export interface OrganisationReportData {
  kind: 'organisation';
  organisationId: string;
  heatmap: unknown;
  participation: ChartParticipation[];
}

export type ReportPageData = UnitReportData | OrganisationReportData;
