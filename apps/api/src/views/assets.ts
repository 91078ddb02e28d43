import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

/**
 * What the pages load: the stylesheet and the browser scripts that scripts/build-assets.mjs
 * builds into dist/apps/api/assets. Read once; each is served under its name with a content hash
 * in the query, so a year-long cache lifetime never serves an old copy after an upgrade.
 */
export interface Asset {
  body: Buffer;
  contentType: string;
  url: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Beside the webpack bundle (dist/apps/api), or built from source when tests run the sources. */
function assetsDir(): string {
  const bundled = join(__dirname, 'assets');
  if (existsSync(join(bundled, 'trellis.css'))) return bundled;
  const fromSource = resolve(__dirname, '../../../../dist/apps/api/assets');
  if (existsSync(join(fromSource, 'trellis.css'))) return fromSource;
  throw new Error(
    `the page assets are not built (looked in ${bundled} and ${fromSource}); run "npm run build:assets"`,
  );
}

let loaded: Map<string, Asset> | undefined;

export function assets(): Map<string, Asset> {
  if (loaded) return loaded;
  const dir = assetsDir();
  loaded = new Map(
    readdirSync(dir)
      .filter((name) => TYPES[extname(name)])
      .map((name) => {
        const body = readFileSync(join(dir, name));
        const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
        return [
          name,
          { body, contentType: TYPES[extname(name)], url: `/assets/${name}?v=${version}` },
        ];
      }),
  );
  return loaded;
}

/** The URL of a built asset; a name that was not built is a programming error, found at once. */
export function assetUrl(name: string): string {
  const asset = assets().get(name);
  if (!asset) throw new Error(`no built asset named ${name}`);
  return asset.url;
}
