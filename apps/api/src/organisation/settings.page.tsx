import { FLAG_THRESHOLD_RANGES, thresholdRangeText, type ThresholdRange } from '@trellis/scoring';
import { ErrorSummary, Field, Notice, PostForm, type FieldProblem } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import type {
  OrganisationSettingsView,
  SettingsGroup,
  WebhookTestResult,
} from './settings.service';

export interface SettingsPageProps {
  orgId: string;
  settings: OrganisationSettingsView;
  /** The group whose form was refused, its problems and what was typed into it. */
  refused?: { group: SettingsGroup; problems: FieldProblem[]; typed: Record<string, string> };
  /** "Saved", "Reset to defaults"… after a change, for the group it concerns. */
  notice?: { group: SettingsGroup; text: string };
  webhookTest?: WebhookTestResult;
}

/** How each flag threshold reads on the page: its flag, its words, and what it decides. */
const FLAGS: { group: string; title: string; tells: string; keys: Record<string, string> }[] = [
  {
    group: 'quadrant',
    title: 'Quadrant midpoint',
    tells:
      'Autonomy and alignment at or above it count as high: it sorts teams into aligned autonomy, abandonment risk, micromanagement risk and adrift.',
    keys: { midpoint: 'Midpoint (1–5 scale)' },
  },
  {
    group: 'micromanagement',
    title: 'Micromanagement',
    tells: 'Control crowds out ownership: Over-control high and Decision rights low.',
    keys: { controlAtLeast: 'Over-control at least', autonomyAtMost: 'Decision rights at most' },
  },
  {
    group: 'abandonment',
    title: 'Abandonment',
    tells: 'Freedom without alignment or a leader who vets and unblocks.',
    keys: {
      autonomyAtLeast: 'Decision rights at least',
      supportAtMost: 'Leader engagement at most',
      alignmentAtMost: 'or alignment index (Clarity of purpose and Alignment averaged) at most',
    },
  },
  {
    group: 'lowSafety',
    title: 'Low psychological safety',
    tells: 'People will not take risks or admit mistakes.',
    keys: { safetyAtMost: 'Psychological safety at most' },
  },
  {
    group: 'splitTeam',
    title: 'Split team',
    tells: 'Members live different leaderships: agreement (rwg) is low.',
    keys: {
      agreementBelow: 'Agreement (rwg) below',
      confirmDimensions: 'Confirmed on this many dimensions',
      confirmMinRespondents: 'each with at least this many respondents',
    },
  },
  {
    group: 'declining',
    title: 'Declining',
    tells: 'A dimension fell since the last round, or kept falling.',
    keys: {
      minDrop: 'Fall of more than (scale points)',
      seMultiple: 'and more than this many standard errors',
      fallsInARow: 'or this many falls in a row',
    },
  },
  {
    group: 'perceptionGap',
    title: 'Perception gap',
    tells: 'The leader’s self-view is far from what the team sees.',
    keys: { gapAtLeast: 'Gap at least (scale points)' },
  },
  {
    group: 'lowParticipation',
    title: 'Low participation',
    tells: 'Few answered: read every number with care.',
    keys: { responseRateBelow: 'Response rate below (0–1)' },
  },
];

const LABELS: Record<string, string> = {
  'anonymity.minGroupSize': 'Minimum group size (k)',
  'anonymity.minCommentGroup': 'Minimum for comments',
  'notifications.notifyHr': 'Also email HR',
  'notifications.webhookUrl': 'Webhook address',
  ...Object.fromEntries(
    FLAGS.flatMap((f) =>
      Object.entries(f.keys).map(([key, label]) => [
        `flags.${f.group}.${key}`,
        `${f.title}: ${label}`,
      ]),
    ),
  ),
};

/** A problem as the page says it: the field's label first, so the summary reads on its own. */
function readable(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((p) => ({
    field: p.field,
    message: LABELS[p.field] ? `${LABELS[p.field]} ${p.message}` : `${p.field}: ${p.message}`,
  }));
}

function flagValue(s: OrganisationSettingsView['flags'], group: string, key: string): number {
  return (s as unknown as Record<string, Record<string, number>>)[group][key];
}

function ResetForm(props: { orgId: string; group: SettingsGroup; label: string }) {
  return (
    <PostForm action={`${consolePaths.settings(props.orgId)}/${props.group}/reset`} class="inline">
      <button type="submit" class="button secondary">
        {props.label}
      </button>
    </PostForm>
  );
}

function GroupNotice({
  group,
  notice,
}: {
  group: SettingsGroup;
  notice?: SettingsPageProps['notice'];
}) {
  return notice?.group === group ? <Notice>{notice.text}</Notice> : null;
}

function Changed({ changed }: { changed: boolean }) {
  return changed ? <span class="pill">changed</span> : <span class="pill">default</span>;
}

function Anonymity({ orgId, settings, refused, notice }: SettingsPageProps) {
  const mine = refused?.group === 'anonymity' ? refused : undefined;
  const problems = mine ? readable(mine.problems) : [];
  const value = (key: 'minGroupSize' | 'minCommentGroup') =>
    mine ? (mine.typed[`anonymity.${key}`] ?? '') : String(settings.anonymity[key]);
  const d = settings.defaults.anonymity;
  return (
    <section class="card" id="anonymity" aria-labelledby="anonymity-h">
      <h2 id="anonymity-h">Anonymity</h2>
      <GroupNotice group="anonymity" notice={notice} />
      <p>
        The promise to every person who answers: nobody — HR, their leader, an administrator — can
        learn how they answered. These two minimums keep it.
      </p>
      <ErrorSummary problems={problems} />
      <PostForm action={`${consolePaths.settings(orgId)}/anonymity#anonymity`} class="stack">
        <Field
          name="anonymity.minGroupSize"
          label={LABELS['anonymity.minGroupSize']}
          hint={`No score, distribution, agreement, flag or comment of a group with fewer respondents leaves Trellis: not on a page, in the API, an export or a notification. It protects each person in a small team: below ${settings.floors.minGroupSize}, two colleagues who compare their own answers could work out a third's. Default ${d.minGroupSize}; at least ${settings.floors.minGroupSize}.`}
          problems={problems}
          input={{
            value: value('minGroupSize'),
            inputMode: 'numeric',
            autoComplete: 'off',
            readOnly: !settings.editable,
            class: 'short',
          }}
        />
        <Field
          name="anonymity.minCommentGroup"
          label={LABELS['anonymity.minCommentGroup']}
          hint={`Comments are shown only where at least this many people commented; otherwise they rise to the unit above. Words are easier to recognise than numbers, so the bar is higher. Default ${d.minCommentGroup} (10, or k if higher); at least k (now ${settings.floors.minCommentGroup}).`}
          problems={problems}
          input={{
            value: value('minCommentGroup'),
            inputMode: 'numeric',
            autoComplete: 'off',
            readOnly: !settings.editable,
            class: 'short',
          }}
        />
        {settings.editable ? (
          <>
            <p class="hint">
              Saving a change recomputes every closed round's results under the new minimums; until
              that is done (usually within a minute), reports say they are being recomputed.
            </p>
            <button type="submit">Save anonymity minimums</button>
          </>
        ) : null}
      </PostForm>
      {settings.editable ? (
        <div class="settings-reset">
          <ResetForm
            orgId={orgId}
            group="anonymity"
            label={`Reset to defaults (k ${d.minGroupSize}, comments 10)`}
          />
        </div>
      ) : null}
    </section>
  );
}

function hintOf(range: ThresholdRange, fallback: number): string {
  return `Default ${fallback}; ${thresholdRangeText(range)}.`;
}

function Flags({ orgId, settings, refused, notice }: SettingsPageProps) {
  const mine = refused?.group === 'flags' ? refused : undefined;
  const problems = mine ? readable(mine.problems) : [];
  const ranges = FLAG_THRESHOLD_RANGES as unknown as Record<string, Record<string, ThresholdRange>>;
  const anyChanged = settings.changed.some((c) => c.startsWith('flags.'));
  return (
    <section class="card" id="flags" aria-labelledby="flags-h">
      <h2 id="flags-h">Flag thresholds</h2>
      <GroupNotice group="flags" notice={notice} />
      <p>
        When a team's results raise a flag, on the 1–5 scale whatever the survey's scale.
        {anyChanged ? ' Some differ from the defaults.' : ' All are the defaults.'}
      </p>
      <ErrorSummary problems={problems} />
      <PostForm action={`${consolePaths.settings(orgId)}/flags#flags`} class="stack">
        <div class="settings-grid">
          {FLAGS.map((flag) => (
            <fieldset class="settings-flag">
              <legend>{flag.title}</legend>
              <p class="hint">{flag.tells}</p>
              {Object.entries(flag.keys).map(([key, label]) => {
                const name = `flags.${flag.group}.${key}`;
                const current = flagValue(settings.flags, flag.group, key);
                const fallback = flagValue(settings.defaults.flags, flag.group, key);
                return (
                  <Field
                    name={name}
                    label={label}
                    hint={hintOf(ranges[flag.group][key], fallback)}
                    problems={problems}
                  >
                    <div class="settings-value">
                      <input
                        id={name}
                        name={name}
                        value={mine ? (mine.typed[name] ?? '') : String(current)}
                        inputMode="decimal"
                        autoComplete="off"
                        readOnly={!settings.editable}
                        class="short"
                        aria-describedby={`${name}-hint${problems.some((p) => p.field === name) ? ` ${name}-error` : ''}`}
                        aria-invalid={problems.some((p) => p.field === name) ? 'true' : undefined}
                      />
                      <Changed changed={settings.changed.includes(name)} />
                    </div>
                  </Field>
                );
              })}
            </fieldset>
          ))}
        </div>
        {settings.editable ? (
          <>
            <p class="hint">
              An empty field takes its default. Saving recomputes closed rounds' flags.
            </p>
            <button type="submit">Save flag thresholds</button>
          </>
        ) : null}
      </PostForm>
      {settings.editable ? (
        <div class="settings-reset">
          <ResetForm orgId={orgId} group="flags" label="Reset all thresholds to defaults" />
        </div>
      ) : null}
    </section>
  );
}

function TestResult({ result }: { result: WebhookTestResult }) {
  return (
    <div class={`webhook-test ${result.outcome === 'answered' && result.accepted ? 'ok' : 'bad'}`}>
      <h3>Test message to {result.sentTo}</h3>
      {result.outcome === 'answered' ? (
        <>
          <p>
            {result.accepted ? 'Delivered. ' : 'Not accepted. '}
            The receiver answered <strong>HTTP {result.status}</strong> after {result.milliseconds}{' '}
            ms
            {result.answer ? ', saying:' : ' with an empty body.'}
          </p>
          {result.answer ? (
            <pre class="secret">
              {result.answer}
              {result.truncated ? ' …' : ''}
            </pre>
          ) : null}
        </>
      ) : (
        <p>
          Not delivered after {result.milliseconds} ms: <strong>{result.error}</strong>
        </p>
      )}
    </div>
  );
}

function Notifications({ orgId, settings, refused, notice, webhookTest }: SettingsPageProps) {
  const mine = refused?.group === 'notifications' ? refused : undefined;
  const problems = mine ? readable(mine.problems) : [];
  const n = settings.notifications;
  const notifyHr = mine ? mine.typed['notifications.notifyHr'] === 'true' : n.notifyHr;
  const url = mine ? (mine.typed['notifications.webhookUrl'] ?? '') : (n.webhookUrl ?? '');
  const hr = settings.hrRecipients;
  return (
    <section class="card" id="notifications" aria-labelledby="notifications-h">
      <h2 id="notifications-h">Notifications</h2>
      <GroupNotice group="notifications" notice={notice} />
      <p>
        When a team gets a new confirmed flag, its leaders are emailed (always). Who else hears
        about it:
      </p>
      <ErrorSummary problems={problems} />
      <PostForm
        action={`${consolePaths.settings(orgId)}/notifications#notifications`}
        class="stack"
      >
        <div class="field checkbox">
          <input
            type="checkbox"
            id="notifications.notifyHr"
            name="notifications.notifyHr"
            value="true"
            checked={notifyHr}
            disabled={!settings.editable}
            aria-describedby="notifications.notifyHr-hint"
          />
          <label for="notifications.notifyHr">{LABELS['notifications.notifyHr']}</label>
          <p class="hint" id="notifications.notifyHr-hint">
            {hr.length
              ? `HR now: ${hr.join(', ')}.`
              : 'Nobody has the HR role yet: grant it on the People page.'}
          </p>
        </div>
        <Field
          name="notifications.webhookUrl"
          label={LABELS['notifications.webhookUrl']}
          hint="A Slack-compatible incoming webhook (Slack, Mattermost, Microsoft Teams workflows): new confirmed flags are posted there. Leave empty for none. Addresses on private networks are refused unless this installation allows them."
          problems={problems}
          input={{
            value: url,
            type: 'url',
            inputMode: 'url',
            autoComplete: 'off',
            spellcheck: false,
            readOnly: !settings.editable,
          }}
        />
        {settings.editable ? <button type="submit">Save notifications</button> : null}
      </PostForm>
      {settings.editable ? (
        <div class="settings-reset">
          {n.webhookUrl ? (
            <PostForm
              action={`${consolePaths.settings(orgId)}/webhook-test#notifications`}
              class="inline"
            >
              <button type="submit" class="button secondary">
                Send a test message
              </button>
            </PostForm>
          ) : null}
          <ResetForm
            orgId={orgId}
            group="notifications"
            label="Reset to defaults (no webhook, HR not emailed)"
          />
        </div>
      ) : null}
      {webhookTest ? (
        <div role="status">
          <TestResult result={webhookTest} />
        </div>
      ) : null}
    </section>
  );
}

/**
 * The organisation's settings: anonymity minimums, flag thresholds, notifications. HR reads them;
 * administrators change them, one group per form, each with a reset to the model's defaults.
 */
export function SettingsPage(props: SettingsPageProps) {
  const { settings } = props;
  return (
    <Layout title="Organisation settings">
      <h1>Organisation settings</h1>
      {settings.editable ? null : (
        <p class="muted">Only administrators can change these settings.</p>
      )}
      {settings.resultsRecomputing ? (
        <p class="notice" role="status">
          Results are being recomputed under changed settings; reports show them again when that is
          done.
        </p>
      ) : null}
      <nav class="toc" aria-label="On this page">
        <a href="#anonymity">Anonymity</a>
        <a href="#flags">Flag thresholds</a>
        <a href="#notifications">Notifications</a>
      </nav>
      <Anonymity {...props} />
      <Flags {...props} />
      <Notifications {...props} />
    </Layout>
  );
}
