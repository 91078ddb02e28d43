import type { UnitView } from '@trellis/organisation';
import type { CampaignDetail, InstrumentSummary, Period } from '@trellis/surveys';
import { ErrorSummary, Field, Notice, PostForm, type FieldProblem } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import type { CampaignFormValues } from './campaign-form';
import { CADENCE_CHOICES, cadenceText, when } from './campaign-text';

export interface CampaignFormPageProps {
  orgId: string;
  /** The saved campaign being edited; absent for a new one. */
  campaign?: CampaignDetail;
  values: CampaignFormValues;
  problems: FieldProblem[];
  instruments: InstrumentSummary[];
  /** The units whose teams this person may pick: the whole tree, or what a leader leads. */
  units: UnitView[];
  /** The rounds the form's schedule would open: after "Preview", or the saved campaign's. */
  preview?: Period[];
  /** A zone to show times in beside the campaign's, when the viewer asked for one. */
  viewerZone?: string;
  notice?: string;
}

interface TreeNode {
  unit: UnitView;
  children: TreeNode[];
}

/** The units as a forest: roots are those whose parent this person cannot see. */
function forest(units: UnitView[]): TreeNode[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function TeamTree({ nodes, picked }: { nodes: TreeNode[]; picked: Set<string> }) {
  return (
    <ul class="team-tree">
      {nodes.map(({ unit, children }) => (
        <li>
          {unit.kind === 'team' ? (
            <span class="team-pick">
              <input
                type="checkbox"
                name="teamIds"
                value={unit.id}
                id={`team-${unit.id}`}
                checked={picked.has(unit.id)}
              />
              <label for={`team-${unit.id}`}>
                {unit.name}{' '}
                <span class="muted">
                  ({unit.memberCount} {unit.memberCount === 1 ? 'member' : 'members'})
                </span>
              </label>
            </span>
          ) : (
            <span class="unit-name">{unit.name}</span>
          )}
          {children.length ? <TeamTree nodes={children} picked={picked} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** The next rounds, in the campaign's zone and, if asked and different, the viewer's. */
export function RoundsPreview(props: { rounds: Period[]; zone: string; viewerZone?: string }) {
  const other = props.viewerZone && props.viewerZone !== props.zone ? props.viewerZone : undefined;
  if (!props.rounds.length)
    return <p>This schedule opens no round: check the cadence and the first day.</p>;
  return (
    <div class="table-wrap" role="region" aria-label="Next rounds" tabIndex={0}>
      <table class="rounds-preview">
        <thead>
          <tr>
            <th scope="col">Round</th>
            <th scope="col">Opens ({props.zone})</th>
            <th scope="col">Closes ({props.zone})</th>
            {other ? <th scope="col">Opens ({other})</th> : null}
            {other ? <th scope="col">Closes ({other})</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.rounds.map((r, i) => (
            <tr>
              <th scope="row">{i + 1}</th>
              <td>
                <time dateTime={r.opensAt.toISOString()}>{when(r.opensAt, props.zone)}</time>
              </td>
              <td>
                <time dateTime={r.closesAt.toISOString()}>{when(r.closesAt, props.zone)}</time>
              </td>
              {other ? <td>{when(r.opensAt, other)}</td> : null}
              {other ? <td>{when(r.closesAt, other)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function problemOf(problems: FieldProblem[], field: string) {
  return problems.find((p) => p.field === field);
}

/** A campaign's form: new or saved, with its next rounds and (saved) pause or resume. */
export function CampaignFormPage(props: CampaignFormPageProps) {
  const { values: v, problems, campaign } = props;
  const title = campaign ? campaign.name : 'New campaign';
  const action = campaign
    ? consolePaths.campaign(campaign.id)
    : consolePaths.campaigns(props.orgId);
  const picked = new Set(v.teamIds);
  const teamProblem = problemOf(problems, 'teamIds');
  const formProblem = problemOf(problems, 'form');
  const input = (name: keyof CampaignFormValues, extra: Record<string, unknown> = {}) => ({
    value: v[name] as string,
    autoComplete: 'off',
    ...extra,
  });
  return (
    <Layout title={title} scripts={['campaigns.js']}>
      <p>
        <a href={consolePaths.campaigns(props.orgId)}>All campaigns</a>
      </p>
      <h1>{title}</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      {campaign ? (
        <section class="card" aria-labelledby="state-h">
          <h2 id="state-h">{campaign.active ? 'Active' : 'Paused'}</h2>
          <p>
            {campaign.active
              ? `${cadenceText(campaign)} (${campaign.timezone}). Pausing opens no new round; an open round runs to its close.`
              : 'No new round opens while the campaign is paused. Resuming opens the next round on the schedule.'}
          </p>
          <p>
            <a href={consolePaths.campaignRounds(campaign.id)}>
              Rounds of this campaign: open, closed and how many answered
            </a>
          </p>
          <PostForm
            action={`${consolePaths.campaign(campaign.id)}/${campaign.active ? 'pause' : 'resume'}`}
            class="inline"
          >
            <button type="submit" class={campaign.active ? 'secondary' : 'primary'}>
              {campaign.active ? 'Pause the campaign' : 'Resume the campaign'}
            </button>
          </PostForm>
        </section>
      ) : null}
      <section class="card" aria-labelledby="form-h">
        <h2 id="form-h">{campaign ? 'Settings' : 'What, for whom, how often'}</h2>
        <ErrorSummary problems={problems} />
        <PostForm action={action} class="stack" id="campaign-form">
          <Field name="name" label="Name" problems={problems} input={input('name')} />
          {campaign ? (
            <p>
              <strong>Questionnaire:</strong>{' '}
              {props.instruments.find((i) => i.id === campaign.instrumentId)?.name ??
                'Questionnaire'}{' '}
              <span class="muted">(fixed for a campaign: its trends rest on it)</span>
            </p>
          ) : (
            <Field name="instrumentId" label="Questionnaire" problems={problems}>
              <select id="instrumentId" name="instrumentId">
                {props.instruments.map((i) => (
                  <option value={i.id} selected={v.instrumentId === i.id}>
                    {i.name}
                    {i.builtIn ? ' (built in)' : ''}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <fieldset
            id="teamIds"
            class="team-picker"
            aria-describedby={teamProblem ? 'teamIds-error' : undefined}
          >
            <legend>Teams</legend>
            <p class="hint">
              Each team is asked in each round. Departments only group their teams.
            </p>
            {teamProblem ? (
              <p class="field-error" id="teamIds-error">
                {teamProblem.message}
              </p>
            ) : null}
            {props.units.length ? (
              <TeamTree nodes={forest(props.units)} picked={picked} />
            ) : (
              <p>There are no teams you can pick.</p>
            )}
          </fieldset>
          <fieldset
            id="form"
            class="choice"
            aria-describedby={formProblem ? 'form-error' : undefined}
          >
            <legend>Form</legend>
            {formProblem ? (
              <p class="field-error" id="form-error">
                {formProblem.message}
              </p>
            ) : null}
            <div class="field checkbox">
              <input
                type="radio"
                id="form-short"
                name="form"
                value="short"
                checked={v.form !== 'full'}
              />
              <label for="form-short">Short</label>
              <p class="hint">
                Two statements per dimension, rotating from round to round: about two minutes.
              </p>
            </div>
            <div class="field checkbox">
              <input
                type="radio"
                id="form-full"
                name="form"
                value="full"
                checked={v.form === 'full'}
              />
              <label for="form-full">Full</label>
              <p class="hint">Every statement: about six minutes.</p>
            </div>
          </fieldset>
          <Field name="cadence" label="Cadence" problems={problems}>
            <select
              id="cadence"
              name="cadence"
              aria-invalid={problemOf(problems, 'cadence') ? 'true' : undefined}
            >
              {CADENCE_CHOICES.map((c) => (
                <option value={c.value} selected={v.cadence === c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
          <Field
            name="cron"
            label="Cron expression (custom cadence only)"
            hint="Minute hour day month weekday, e.g. 0 9 * * 1 for Mondays at 09:00. Leave empty for the other cadences."
            problems={problems}
            input={input('cron', { spellcheck: false })}
          />
          <Field
            name="timezone"
            label="Time zone"
            hint="Rounds open at 09:00 in this zone, e.g. Europe/Berlin, America/New_York."
            problems={problems}
            input={input('timezone', { spellcheck: false })}
          />
          <Field
            name="startsOn"
            label="First day"
            hint="No round opens before this day (YYYY-MM-DD)."
            problems={problems}
            input={input('startsOn', { type: 'date' })}
          />
          <Field
            name="openDays"
            label="Days open"
            hint="How long each round stays open (1 to 90; a round also closes when the next one opens)."
            problems={problems}
            input={input('openDays', { inputMode: 'decimal', class: 'short' })}
          />
          <Field
            name="reminderDays"
            label="Reminder days"
            hint="Days after opening when those who have not answered are reminded, e.g. 2, 4. At most five; empty for none."
            problems={problems}
            input={input('reminderDays')}
          />
          <div class="field checkbox">
            <input
              type="checkbox"
              id="leaderSelfView"
              name="leaderSelfView"
              value="true"
              checked={v.leaderSelfView}
              aria-describedby="leaderSelfView-hint"
            />
            <label for="leaderSelfView">Ask each team's leader for their own view too</label>
            <p class="hint" id="leaderSelfView-hint">
              The leader answers the same statements about themselves; the report shows the gap to
              the team's view.
            </p>
          </div>
          <Field
            name="zone"
            label="Also show the next rounds in this time zone (optional)"
            hint="Only for the preview, e.g. your own zone if it differs from the campaign's."
            input={{
              value: props.viewerZone ?? '',
              autoComplete: 'off',
              spellcheck: false,
              ...({ 'data-viewer-zone': '' } as Record<string, string>),
            }}
          />
          <div class="form-buttons">
            <button type="submit" name="intent" value="save">
              {campaign ? 'Save changes' : 'Start the campaign'}
            </button>
            <button type="submit" name="intent" value="preview" class="button secondary">
              Preview the next rounds
            </button>
          </div>
        </PostForm>
      </section>
      <section class="card" id="preview" aria-labelledby="preview-h">
        <h2 id="preview-h">Next five rounds</h2>
        {props.preview ? (
          <RoundsPreview rounds={props.preview} zone={v.timezone} viewerZone={props.viewerZone} />
        ) : campaign && !campaign.active ? (
          <p>None while the campaign is paused.</p>
        ) : (
          <p>
            Fill in the schedule and choose “Preview the next rounds” to see when rounds open and
            close.
          </p>
        )}
      </section>
    </Layout>
  );
}
