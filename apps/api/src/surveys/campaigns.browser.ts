/**
 * The campaign form: with a script, the preview also shows the browser's own time zone, by
 * filling the optional zone field when it is empty and the campaign runs in another zone.
 * Without a script the field stays empty and the preview shows the campaign's zone only.
 */
const zoneField = document.querySelector<HTMLInputElement>('input[data-viewer-zone]');
const campaignZone = document.querySelector<HTMLInputElement>('#timezone');
const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zoneField && campaignZone && !zoneField.value && own && own !== campaignZone.value) {
  zoneField.value = own;
}
