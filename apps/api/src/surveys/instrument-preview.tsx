import { scaleLabels, type InstrumentDef } from '@trellis/surveys';

/**
 * What a team member would see answering this instrument: each statement with its answer
 * options, in order. Disabled: it is a picture of the answering page, not a form to send.
 * instrument-form.browser.ts draws the same markup from the definition as it is typed.
 */
export function AnswerPreview({ def }: { def: InstrumentDef }) {
  const labels = scaleLabels(def.scale);
  return (
    <ol class="answer-preview">
      {def.items.map((item) => (
        <li>
          <fieldset disabled>
            <legend>{item.text}</legend>
            <div class="answer-options">
              {labels.map((label, i) => (
                <label>
                  <input type="radio" name={`preview-${item.key}`} value={def.scale.min + i} />
                  <span>{label}</span>
                </label>
              ))}
            </div>
          </fieldset>
        </li>
      ))}
    </ol>
  );
}
