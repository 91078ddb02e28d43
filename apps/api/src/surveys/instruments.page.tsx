import type { InstrumentSummary, InstrumentVersionView } from '@trellis/surveys';
import { Notice, TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';

/** The organisation's questionnaires and the built-in one. */
export function InstrumentsPage(props: { orgId: string; instruments: InstrumentSummary[] }) {
  return (
    <Layout title="Questionnaires">
      <h1>Questionnaires</h1>
      <p>
        A questionnaire (instrument) is a set of statements grouped into dimensions, answered on a
        scale. Campaigns ask one of them. A version a round has used never changes: editing it makes
        a new version, so old results keep meaning what they meant.
      </p>
      <p>
        <a class="button" href={consolePaths.newInstrument(props.orgId)}>
          New questionnaire
        </a>
      </p>
      <TableWrap label="Questionnaires">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Kind</th>
              <th scope="col">Latest version</th>
            </tr>
          </thead>
          <tbody>
            {props.instruments.map((i) => (
              <tr>
                <th scope="row">
                  <a href={consolePaths.instrument(i.id)}>{i.name}</a>
                </th>
                <td>
                  <code>{i.key}</code>
                </td>
                <td>{i.builtIn ? 'Built in' : 'Your own'}</td>
                <td>{i.latestVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Layout>
  );
}

export interface InstrumentPageProps {
  orgId: string;
  instrument: InstrumentSummary & { versions: InstrumentVersionView[] };
  /** The version shown: the latest unless one was asked for. */
  shown: InstrumentVersionView;
  notice?: string;
}

/** One questionnaire: its scale, its dimensions with their statements, and its versions. */
export function InstrumentPage({ orgId, instrument, shown, notice }: InstrumentPageProps) {
  const def = shown.definition;
  const latest = instrument.versions[0];
  return (
    <Layout title={instrument.name}>
      <p>
        <a href={consolePaths.instruments(orgId)}>All questionnaires</a>
      </p>
      <h1>{instrument.name}</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      <p>{def.description}</p>
      <p>
        <span class="pill">{instrument.builtIn ? 'Built in' : 'Your own'}</span>
        <span class="pill">Version {shown.version}</span>
        <span class="pill">
          {shown.inUse ? 'Used by a round: read-only' : 'Not used by a round yet'}
        </span>
      </p>
      {instrument.builtIn ? (
        <p class="hint">The built-in questionnaire cannot be edited; start your own from it.</p>
      ) : shown.id === latest.id ? (
        <p>
          <a class="button" href={consolePaths.editInstrument(instrument.id)}>
            {shown.inUse ? 'Edit (as a new version)' : 'Edit'}
          </a>
        </p>
      ) : (
        <p class="hint">An earlier version: read-only.</p>
      )}
      <section class="card" aria-labelledby="scale-h">
        <h2 id="scale-h">Scale</h2>
        <p>
          Answers from {def.scale.min} to {def.scale.max}
          {def.scale.labels ? ':' : '.'}
        </p>
        {def.scale.labels ? (
          <ol class="scale-labels">
            {def.scale.labels.map((label, i) => (
              <li>
                <strong>{def.scale.min + i}</strong> {label}
              </li>
            ))}
          </ol>
        ) : null}
      </section>
      {def.dimensions.map((d) => {
        const items = def.items.filter((i) => i.dimension === d.key);
        return (
          <section class="card" aria-labelledby={`dim-${d.key}`}>
            <h2 id={`dim-${d.key}`}>{d.name}</h2>
            <p>{d.description}</p>
            {d.scale ? (
              <p>
                <strong>
                  Its own scale: {d.scale.min} to {d.scale.max}
                </strong>
                {d.scale.labels
                  ? ` (${d.scale.labels.map((l, i) => `${d.scale!.min + i} ${l}`).join(', ')})`
                  : ''}
                . Its statements are answered, scored and compared on it.
              </p>
            ) : null}
            <TableWrap label={`Statements of ${d.name}`}>
              <table class="instrument-items">
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Statement</th>
                    <th scope="col">Keyed</th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr>
                      <th scope="row">
                        <code>{i.key}</code>
                      </th>
                      <td>
                        {i.text}
                        {i.selfText ? (
                          <>
                            <br />
                            <span class="muted">Leader: {i.selfText}</span>
                          </>
                        ) : null}
                      </td>
                      <td>{i.reverse ? 'Reverse' : 'Forward'}</td>
                      <td>{i.source ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
        );
      })}
      <section class="card" aria-labelledby="versions-h">
        <h2 id="versions-h">Versions</h2>
        <ul>
          {instrument.versions.map((v) => (
            <li>
              <a href={`${consolePaths.instrument(instrument.id)}?version=${v.version}`}>
                Version {v.version}
              </a>
              {v.id === latest.id ? ' (latest)' : ''}:{' '}
              {v.inUse ? 'used by a round, read-only' : 'not used yet, editable in place'}
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
