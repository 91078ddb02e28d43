import archiver from 'archiver';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type Cell = string | number | null | undefined;

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

const CONTENT_TYPES = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>`;

const ROOT_RELS = `${XML}<Relationships xmlns="${PKG_REL}">
<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>`;

const WORKBOOK_RELS = `${XML}<Relationships xmlns="${PKG_REL}">
<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>`;

const workbook = (sheetName: string) => `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}">
<sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets>
</workbook>`;

// Characters XML 1.0 cannot hold at all; a name typed with one keeps the rest of its text.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/**
 * Text cells are inline strings: no shared-string table, so nothing grows with the sheet.
 * Every cell carries its reference because some readers misplace cells without one.
 */
function cell(value: Cell, ref: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'number') {
    return Number.isFinite(value) ? `<c r="${ref}"><v>${value}</v></c>` : '';
  }
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
}

function row(index: number, values: readonly Cell[], columns: readonly string[]): string {
  let xml = `<row r="${index}">`;
  for (let i = 0; i < values.length; i++) xml += cell(values[i], `${columns[i]}${index}`);
  return `${xml}</row>`;
}

/**
 * Writes a one-sheet XLSX workbook to `out`, pulling rows only as fast as the zip stream
 * compresses them and `out` accepts them, so memory stays flat however long the sheet is.
 * (ExcelJS's streaming writer buffers ahead of the compressor without limit: we measured it
 * growing past 900 MB on a million rows.)
 */
export async function writeXlsx(
  out: Writable,
  sheetName: string,
  header: readonly string[],
  rows: AsyncIterable<readonly Cell[]>,
): Promise<number> {
  let count = 0;
  const columns = header.map((_, i) => columnName(i));
  const iterator = rows[Symbol.asyncIterator]();
  let stage: 'head' | 'rows' | 'done' = 'head';
  const sheet = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      const push = async () => {
        if (stage === 'head') {
          stage = 'rows';
          return this.push(
            `${XML}<worksheet xmlns="${MAIN}"><sheetData>${row(1, header, columns)}`,
          );
        }
        // Several rows per push: one zlib call per row would be slow.
        let xml = '';
        for (let i = 0; i < 200; i++) {
          const next = await iterator.next();
          if (next.done) {
            stage = 'done';
            this.push(`${xml}</sheetData></worksheet>`);
            return this.push(null);
          }
          count++;
          xml += row(count + 1, next.value, columns);
        }
        return this.push(xml);
      };
      push().catch((error: Error) => this.destroy(error));
    },
  });
  const zip = archiver('zip', { zlib: { level: 6 } });
  zip.append(CONTENT_TYPES, { name: '[Content_Types].xml' });
  zip.append(ROOT_RELS, { name: '_rels/.rels' });
  zip.append(workbook(sheetName), { name: 'xl/workbook.xml' });
  zip.append(WORKBOOK_RELS, { name: 'xl/_rels/workbook.xml.rels' });
  zip.append(sheet, { name: 'xl/worksheets/sheet1.xml' });
  const written = pipeline(zip, out);
  const finalized = zip.finalize();
  // Awaited together: when `out` fails first (a client gone mid-download, a full disk), finalize
  // never settles, and the pipeline's failure must not go unheard (Node exits on those).
  finalized.catch(() => undefined);
  try {
    await Promise.all([written, finalized]);
  } catch (error) {
    // Stops reading rows, which closes the database cursor behind them.
    iterator.return?.().catch(() => undefined);
    throw error;
  }
  return count;
}
