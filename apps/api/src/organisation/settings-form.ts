import { FLAG_THRESHOLD_RANGES } from '@trellis/scoring';
import type { SettingsGroup } from './settings.service';

/** Every flag threshold as a form field name, in the order of FlagThresholds. */
export const FLAG_FIELDS: { group: string; key: string; name: string }[] = Object.entries(
  FLAG_THRESHOLD_RANGES,
).flatMap(([group, keys]) =>
  Object.keys(keys as object).map((key) => ({ group, key, name: `flags.${group}.${key}` })),
);

/**
 * A typed number, as the settings modules read numbers. An empty field is left out (the setting
 * takes its default); something that is not a number is passed on as it is, so the module that
 * validates it names the field ("must be a whole number") rather than this adapter guessing.
 */
function numberOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().replace(',', '.');
  if (text === '') return undefined;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : value;
}

/**
 * The settings page's form for one group, as the JSON body of PUT /settings would carry it.
 * Field names are the problems' field paths ("anonymity.minGroupSize"), so a refusal lands on
 * its field. Only translation happens here; SettingsService validates.
 */
export function settingsFromForm(
  group: SettingsGroup,
  form: Record<string, unknown>,
): Record<string, unknown> {
  if (group === 'anonymity') {
    // A key that is present must hold a value: an empty field is left out altogether.
    const anonymity: Record<string, unknown> = {};
    for (const key of ['minGroupSize', 'minCommentGroup']) {
      const value = numberOf(form[`anonymity.${key}`]);
      if (value !== undefined) anonymity[key] = value;
    }
    return { anonymity };
  }
  if (group === 'flags') {
    const flags: Record<string, Record<string, unknown>> = {};
    for (const f of FLAG_FIELDS) {
      const value = numberOf(form[f.name]);
      if (value !== undefined) flags[f.group] = { ...flags[f.group], [f.key]: value };
    }
    return { flags };
  }
  const url = form['notifications.webhookUrl'];
  return {
    notifications: {
      notifyHr: form['notifications.notifyHr'] === 'true',
      webhookUrl: typeof url === 'string' ? url.trim() || null : url,
    },
  };
}

/** What was typed, to put back into the form when it is refused. */
export function typedValues(form: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
