import ExcelJS from 'exceljs';
import { PassThrough, Writable } from 'node:stream';
import { columnName, writeXlsx, type Cell } from './xlsx-writer';

async function* rowsOf(rows: Cell[][]): AsyncIterable<Cell[]> {
  for (const row of rows) yield row;
}

async function written(header: string[], rows: Cell[][]): Promise<{ count: number; file: Buffer }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const count = await writeXlsx(out, 'Trends', header, rowsOf(rows));
  return { count, file: Buffer.concat(chunks) };
}

describe('columnName', () => {
  it('counts A to Z, then AA', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('writeXlsx', () => {
  it('writes a workbook a spreadsheet reader opens with the same values', async () => {
    const rows: Cell[][] = [
      ['Platform', 3.25, null, '<b>&amp;</b> "quoted"'],
      ["'=1+1", -0.5, '', 'line\nbreak'],
      ['bell\u0007gone', 0, undefined, Number.NaN],
    ];
    const { count, file } = await written(['team', 'mean', 'flags', 'note'], rows);
    expect(count).toBe(3);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as never);
    const sheet = workbook.getWorksheet('Trends')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['team', 'mean', 'flags', 'note']);
    expect(values(2)).toEqual(['Platform', 3.25, undefined, '<b>&amp;</b> "quoted"']);
    expect(values(3)).toEqual(["'=1+1", -0.5, undefined, 'line\nbreak']);
    // XML cannot hold a bell; the rest of the name survives. A number that is not one is empty.
    expect(values(4)).toEqual(['bellgone', 0]);
  });

  it('writes a header-only sheet for no rows', async () => {
    const { count, file } = await written(['a'], []);
    expect(count).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as never);
    expect(workbook.getWorksheet('Trends')!.rowCount).toBe(1);
  });

  it('fails, without bringing the process down, when the destination fails mid-way', async () => {
    const gone = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('client gone'));
      },
    });
    let pulled = 0;
    async function* endless(): AsyncIterable<Cell[]> {
      for (;;) {
        pulled++;
        yield ['row', pulled];
      }
    }
    await expect(writeXlsx(gone, 'Trends', ['a', 'b'], endless())).rejects.toThrow(/client gone/);
    // It stopped pulling rows soon after, rather than reading the whole source.
    const after = pulled;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled).toBe(after);
  });
});
