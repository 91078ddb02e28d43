import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../access/csrf';
import { assetUrl } from './assets';
import { navigationFor } from './navigation';
import { usePage } from './page-context';

export interface LayoutProps {
  title: string;
  children: ComponentChildren;
  /** Browser scripts by asset name (e.g. "report.js"), loaded at the end of the body. */
  scripts?: string[];
  /** Data for those scripts, as JSON in a data- attribute (escaped like any attribute). */
  data?: unknown;
  /** A class on <body>, for pages with a look of their own (the answering page). */
  bodyClass?: string;
  /** What the skip link says, e.g. "Skip to the report". */
  skipLabel?: string;
  /** Extra text beside the brand, e.g. the organisation on the answering page. */
  aside?: ComponentChildren;
  /** The answering page is anonymous and links nowhere; the console links home. */
  brandHref?: string | null;
}

function Header({ aside, brandHref }: Pick<LayoutProps, 'aside' | 'brandHref'>) {
  const { viewer, csrf, path } = usePage();
  const brand =
    brandHref === null ? (
      <span class="brand">Trellis</span>
    ) : (
      <a class="brand" href={brandHref ?? '/app'}>
        Trellis
      </a>
    );
  if (!viewer)
    return (
      <header>
        {brand}
        {aside}
      </header>
    );
  const current = path.split(/[?#]/)[0];
  return (
    <header>
      {brand}
      <nav class="site" aria-label="Main">
        {navigationFor(viewer).map((link) => (
          <a href={link.href} aria-current={current === link.href ? 'page' : undefined}>
            {link.label}
          </a>
        ))}
      </nav>
      <div class="who">
        <span class="muted">{viewer.name}</span>
        <form method="post" action="/sign-out" class="inline">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <button class="link" type="submit">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}

/** The one layout of every page. */
export function Layout(props: LayoutProps) {
  const scripts = props.scripts ?? [];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <link rel="icon" href="data:," />
        <title>{`${props.title} · Trellis`}</title>
        <link rel="stylesheet" href={assetUrl('trellis.css')} />
      </head>
      <body class={props.bodyClass}>
        <a class="skip" href="#main">
          {props.skipLabel ?? 'Skip to the content'}
        </a>
        <Header aside={props.aside} brandHref={props.brandHref} />
        <main id="main">{props.children}</main>
        {props.data === undefined ? null : (
          <div id="page-data" hidden data-json={JSON.stringify(props.data)} />
        )}
        {scripts.map((name) => (
          <script src={assetUrl(name)} defer />
        ))}
      </body>
    </html>
  );
}
