/**
 * The questionnaire form's live preview: as the definition is typed, the statements are drawn
 * again as people will answer them (the markup of instrument-preview.tsx). Only a picture: the
 * server checks the definition on "Preview" and on saving, and says what is wrong.
 */
interface DefScale {
  min?: unknown;
  max?: unknown;
  labels?: unknown;
}

interface Def {
  scale?: DefScale;
  dimensions?: { key?: unknown; scale?: DefScale }[];
  items?: { key?: unknown; text?: unknown; dimension?: unknown }[];
}

function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

const area = document.querySelector<HTMLTextAreaElement>('#definition');
const body = document.querySelector<HTMLElement>('#preview-body');
const statusLine = document.querySelector<HTMLElement>('#preview-status');

function labelsOf(scale: DefScale, min: number, max: number): string[] {
  if (Array.isArray(scale.labels)) return scale.labels.map(String);
  const labels: string[] = [];
  for (let v = min; v <= max; v++)
    labels.push(v === min ? `${v} (lowest)` : v === max ? `${v} (highest)` : String(v));
  return labels;
}

/** A scale's options, or null when it is not a usable range. */
function optionsOf(scale: DefScale): { min: number; labels: string[] } | null {
  const min = Number(scale.min);
  const max = Number(scale.max);
  if (!Number.isInteger(min) || !Number.isInteger(max) || max <= min || max - min > 20) return null;
  return { min, labels: labelsOf(scale, min, max) };
}

function draw(def: Def): string {
  const scale = def.scale ?? {};
  const base = optionsOf(scale);
  const items = Array.isArray(def.items) ? def.items : [];
  if (!base) return 'The scale needs whole numbers min and max, min below max.';
  // A dimension with a scale of its own asks its statements on it.
  const own = new Map<unknown, DefScale>();
  for (const d of Array.isArray(def.dimensions) ? def.dimensions : [])
    if (d && typeof d === 'object' && d.scale && typeof d.scale === 'object')
      own.set(d.key, d.scale);
  const list = document.createElement('ol');
  list.className = 'answer-preview';
  for (const item of items) {
    const li = document.createElement('li');
    const set = document.createElement('fieldset');
    set.disabled = true;
    const legend = document.createElement('legend');
    legend.textContent = textOf(item.text);
    const options = document.createElement('div');
    options.className = 'answer-options';
    const dimensionScale = own.get(item.dimension);
    const { min, labels } = (dimensionScale && optionsOf(dimensionScale)) || base;
    labels.forEach((text, i) => {
      const label = document.createElement('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = `preview-${textOf(item.key)}`;
      radio.value = String(min + i);
      const span = document.createElement('span');
      span.textContent = text;
      label.append(radio, span);
      options.append(label);
    });
    set.append(legend, options);
    li.append(set);
    list.append(li);
  }
  body!.replaceChildren(list);
  const mixed = own.size ? '; some dimensions on their own scales' : '';
  return `${items.length} statements, answered ${textOf(scale.min)} to ${textOf(scale.max)}${mixed}.`;
}

let timer: ReturnType<typeof setTimeout> | undefined;
if (area && body && statusLine) {
  area.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        statusLine.textContent = draw(JSON.parse(area.value) as Def);
      } catch {
        statusLine.textContent = 'Not valid JSON yet: the preview shows the last valid definition.';
      }
    }, 300);
  });
}
