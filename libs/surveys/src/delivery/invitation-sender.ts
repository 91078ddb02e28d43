import { closesText } from '../schedule/closes-text';

/** What one invitation or reminder says; the sender decides how it travels. */
export interface InvitationMessage {
  to: { email: string; name: string };
  kind: 'invitation' | 'reminder';
  /** 'member' answers for their team; 'leader_self' is the leader's own view of their team. */
  audience: 'member' | 'leader_self';
  teamName: string;
  organisationName: string;
  link: string;
  closesAt: Date;
  /** The campaign's time zone (UTC for a round without one): the closing time is told in it. */
  timeZone: string;
}

/**
 * How invitations reach people. Email today; Slack or Teams later implement the same interface.
 * `send` resolves once the message is accepted, and throws when it was not (the job retries).
 */
export interface InvitationSender {
  send(message: InvitationMessage): Promise<void>;
  /** Called once the invitation's transaction has committed, so its link works from then on. */
  committed?(message: InvitationMessage): void;
}

export const INVITATION_SENDER = Symbol('INVITATION_SENDER');

export function renderInvitation(m: InvitationMessage): { subject: string; text: string } {
  const closes = closesText(m.closesAt, m.timeZone);
  if (m.audience === 'leader_self') {
    return {
      subject: `${m.kind === 'reminder' ? 'Reminder: ' : ''}How do you see ${m.teamName}? (2 minutes)`,
      text: [
        `Hello ${m.to.name},`,
        '',
        `${m.teamName} is answering its pulse survey. Please answer the same statements from your side, as the team's leader.`,
        'Your view is shown next to the team’s, never mixed into it, so gaps in perception become visible.',
        '',
        m.link,
        '',
        `The link is personal and works until ${closes}.`,
      ].join('\n'),
    };
  }
  return {
    subject: `${m.kind === 'reminder' ? 'Reminder: ' : ''}Two minutes for ${m.teamName}: how is it going?`,
    text: [
      `Hello ${m.to.name},`,
      '',
      `${m.organisationName} asks ${m.teamName} a few short questions about how the team works.`,
      'It takes about two minutes. Your answers are anonymous: nobody — not your leader, not HR — sees them individually,',
      'and team results appear only when enough people have answered.',
      '',
      m.link,
      '',
      `The link is personal and works until ${closes}.`,
    ].join('\n'),
  };
}
