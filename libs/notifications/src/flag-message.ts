import type { Shown } from '@trellis/anonymity';
import { FLAG_TITLES, type FlagCode } from '@trellis/scoring';

/** What a notification says about one new confirmed flag; nothing in it is about a person. */
export interface FlagNews {
  organisationName: string;
  unitName: string;
  flagCode: string;
  explanation: string;
  actions: string[];
  periodStart: string;
  periodEnd: string;
  reportUrl: string;
}

export function flagTitle(code: string): string {
  return FLAG_TITLES[code as FlagCode] ?? code.replace(/_/g, ' ');
}

/** Only news that passed the anonymity decision for its team can be rendered. */
export function renderFlagEmail(news: Shown<FlagNews>): { subject: string; text: string } {
  return {
    subject: `Trellis, ${news.unitName}: ${flagTitle(news.flagCode)}`,
    text: [
      `${news.unitName} (${news.organisationName}), round ${news.periodStart} to ${news.periodEnd}:`,
      '',
      news.explanation,
      '',
      ...(news.actions.length
        ? ['What tends to help:', ...news.actions.map((a) => `- ${a}`), '']
        : []),
      `The report, with the evidence: ${news.reportUrl}`,
      '',
      'You receive this because the flag is new this round. Team results are shown only for groups large enough to stay anonymous.',
    ].join('\n'),
  };
}

/** Slack's mrkdwn treats these three as control characters. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack incoming-webhook payload: `text` for every compatible receiver, blocks for Slack. */
export function slackPayload(news: Shown<FlagNews>): Record<string, unknown> {
  const title = `${news.unitName}: ${flagTitle(news.flagCode)}`;
  return {
    text: `${title} (${news.periodStart} to ${news.periodEnd}): ${news.explanation} ${news.reportUrl}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${escapeMrkdwn(title)}*\n${escapeMrkdwn(news.explanation)}`,
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${escapeMrkdwn(news.organisationName)} · round ${news.periodStart} to ${news.periodEnd} · <${news.reportUrl}|open the report>`,
          },
        ],
      },
    ],
  };
}
