import type { InstrumentDef, InstrumentSummary, InstrumentVersionView } from '@trellis/surveys';
import { ErrorSummary, PostForm, type FieldProblem } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { AnswerPreview, previewSummary } from './instrument-preview';

export interface InstrumentFormPageProps {
  orgId: string;
  /** The questionnaire being edited; absent for a new one. */
  instrument?: InstrumentSummary & { versions: InstrumentVersionView[] };
  /** The definition as typed (JSON text). */
  text: string;
  problems: FieldProblem[];
  /** The checked definition, after "Preview" (or on opening the form). */
  preview?: InstrumentDef;
}

/** The data instrument-form.js reads: nothing but the field to watch, by id. */
export interface InstrumentFormData {
  field: string;
}

/**
 * A questionnaire's definition as JSON in a text area: it works without a script, and holds any
 * scale, dimensions and statements. "Preview" shows the answering page without saving; with a
 * script the preview follows the text as it is typed.
 */
export function InstrumentFormPage(props: InstrumentFormPageProps) {
  const { instrument } = props;
  const title = instrument ? `Edit ${instrument.name}` : 'New questionnaire';
  const latest = instrument?.versions[0];
  const action = instrument
    ? consolePaths.instrument(instrument.id)
    : consolePaths.instruments(props.orgId);
  const problem = props.problems.length > 0;
  const data: InstrumentFormData = { field: 'definition' };
  return (
    <Layout title={title} scripts={['instrument-form.js']} data={data}>
      <p>
        <a href={consolePaths.instruments(props.orgId)}>All questionnaires</a>
      </p>
      <h1>{title}</h1>
      {latest ? (
        <p class="hint">
          {latest.inUse
            ? `Version ${latest.version} has been used by a round, so it stays as it is: saving makes version ${latest.version + 1}.`
            : `Version ${latest.version} has not been used by a round yet: saving changes it in place.`}
        </p>
      ) : null}
      <section class="card" aria-labelledby="def-h">
        <h2 id="def-h">Definition</h2>
        <ErrorSummary problems={props.problems} />
        <PostForm action={action} class="stack">
          <div class="field">
            <label for="definition">Definition (JSON)</label>
            <p class="hint" id="definition-hint">
              key, name, description; scale with min, max and optional labels (one per answer,
              lowest first); dimensions with key, name, description; items with key, dimension,
              text, reverse (true when agreeing means less of the dimension), and optional selfText
              and source.
            </p>
            <textarea
              id="definition"
              name="definition"
              rows={24}
              spellcheck={false}
              class="code"
              aria-describedby={problem ? 'definition-hint definition-error' : 'definition-hint'}
              aria-invalid={problem ? 'true' : undefined}
            >
              {`\n${props.text}`}
            </textarea>
            {problem ? (
              <p class="field-error" id="definition-error">
                The definition has {props.problems.length === 1 ? 'a problem' : 'problems'}: see the
                list above.
              </p>
            ) : null}
          </div>
          <div class="form-buttons">
            <button type="submit" name="intent" value="save">
              {instrument ? 'Save' : 'Add the questionnaire'}
            </button>
            <button type="submit" name="intent" value="preview" class="button secondary">
              Preview
            </button>
          </div>
        </PostForm>
      </section>
      <section class="card" aria-labelledby="preview-h" id="preview">
        <h2 id="preview-h">What people will see</h2>
        <p class="hint" id="preview-status" role="status">
          {props.preview
            ? previewSummary(props.preview)
            : 'Choose “Preview” to see the statements as people will answer them.'}
        </p>
        <div id="preview-body">{props.preview ? <AnswerPreview def={props.preview} /> : null}</div>
      </section>
    </Layout>
  );
}
