import { dimensionScale, scaleLabels, type InstrumentDef } from '@trellis/surveys';

/**
 * What a team member would see answering this instrument: each statement with its answer
 * options, in order. Disabled: it is a picture of the answering page, not a form to send.
 * instrument-form.browser.ts draws the same markup from the definition as it is typed.
 */
export function AnswerPreview({ def }: { def: InstrumentDef }) {
  return (
    <ol class="answer-preview">
      {def.items.map((item) => (
        <PreviewItem def={def} item={item} />
      ))}
    </ol>
  );
}

/** One statement with the options of its dimension's scale. */
function PreviewItem({ def, item }: { def: InstrumentDef; item: InstrumentDef['items'][number] }) {
  const scale = dimensionScale(def, item.dimension);
  const labels = scaleLabels(scale);
  return (
    <li>
      <fieldset disabled>
        <legend>{item.text}</legend>
        <div class="answer-options">
          {labels.map((label, i) => (
            <label>
              <input type="radio" name={`preview-${item.key}`} value={scale.min + i} />
              <span>{label}</span>
            </label>
          ))}
        </div>
      </fieldset>
    </li>
  );
}

/** What the preview's status line says: how many statements, on which scale(s). */
export function previewSummary(def: InstrumentDef): string {
  const own = def.dimensions.filter((d) => d.scale);
  const base = `${def.items.length} statements, answered ${def.scale.min} to ${def.scale.max}`;
  return own.length
    ? `${base}; ${own.map((d) => `${d.name} ${d.scale!.min} to ${d.scale!.max}`).join(', ')}.`
    : `${base}.`;
}
