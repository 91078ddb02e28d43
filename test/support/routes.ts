import { METHODS } from 'node:http';
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_RULE } from '../../apps/api/src/access/access.decorator';
import { AppModule } from '../../apps/api/src/app.module';

export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Verb;
  /** The Express route template, e.g. /units/:unitId/members/:personId. */
  path: string;
  /** Its parameters, in order. */
  params: string[];
  /** Whether anyone may call it (its access rule is @Public), signed in or not. */
  public: boolean;
  /** Its access rule's kind: public, signed_in (anyone signed in, about themselves) or resource. */
  access: string | undefined;
}

export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

const join = (...parts: string[]) =>
  `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [''] : Array.isArray(value) ? value : [value];

/** A module class, a dynamic module ({ module, controllers, imports }) or anything else. */
type ModuleRef = unknown;

/** Controller classes of a module and of everything it imports (static and dynamic modules). */
function controllersOf(
  mod: ModuleRef,
  seen = new Set<unknown>(),
): (abstract new (...args: never[]) => unknown)[] {
  if (!mod || seen.has(mod)) return [];
  seen.add(mod);
  const found: (abstract new (...args: never[]) => unknown)[] = [];
  const visit = (target: unknown) => {
    if (typeof target !== 'function') return;
    found.push(...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, target) ?? []) as never[]));
    for (const imported of (Reflect.getMetadata(MODULE_METADATA.IMPORTS, target) ??
      []) as unknown[])
      found.push(...controllersOf(imported, seen));
  };
  if (typeof mod === 'function') visit(mod);
  else if (typeof mod === 'object' && 'module' in mod) {
    const dynamic = mod as { module?: unknown; controllers?: unknown[]; imports?: unknown[] };
    visit(dynamic.module);
    found.push(...((dynamic.controllers ?? []) as never[]));
    for (const imported of dynamic.imports ?? []) found.push(...controllersOf(imported, seen));
  }
  return found;
}

/**
 * Every route the API declares, read from its controllers' metadata without starting it, so each
 * can be its own test. A route added to any controller of AppModule is picked up automatically;
 * `servedRoutes` checks the list against what the running app actually serves.
 */
export function declaredRoutes(): Route[] {
  const routes = new Map<string, Route>();
  for (const controller of new Set(controllersOf(AppModule))) {
    // Handlers may be inherited: walk the prototype chain up to Object.
    const handlers = new Set<unknown>();
    for (
      let p = controller.prototype as object | null;
      p && p !== Object.prototype;
      p = Object.getPrototypeOf(p) as object | null
    )
      for (const name of Object.getOwnPropertyNames(p))
        if (name !== 'constructor') handlers.add(Object.getOwnPropertyDescriptor(p, name)?.value);
    for (const handler of handlers) {
      if (typeof handler !== 'function') continue;
      const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as
        string | string[] | undefined;
      if (handlerPaths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] as Verb;
      // The console's catch-all (every method, a 404 page for any /app path no page claims) is
      // no route of its own; pages-authorization tests it, and Express lists it as middleware.
      if ((method as string) === 'ALL') continue;
      for (const base of asList(Reflect.getMetadata(PATH_METADATA, controller) as string))
        for (const sub of asList(handlerPaths)) {
          const path = join(base, sub);
          const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
          const rule = (Reflect.getMetadata(ACCESS_RULE, handler) ??
            Reflect.getMetadata(ACCESS_RULE, controller)) as { kind?: string } | undefined;
          routes.set(routeKey({ method, path }), {
            method,
            path,
            params,
            public: rule?.kind === 'public',
            access: rule?.kind,
          });
        }
    }
  }
  return [...routes.values()].sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}

/** What the running Express app routes (Swagger UI and all-method middleware aside). */
export function servedRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance();
  // Express 5 keeps the router at app.router (Express 4 had app._router).
  const stack = (express.router ?? express._router).stack as {
    route?: { path: string; methods: Record<string, boolean> };
  }[];
  const served = new Set<string>();
  for (const { route } of stack) {
    if (!route || route.path.startsWith('/docs')) continue;
    if (METHODS.every((m) => route.methods[m.toLowerCase()])) continue;
    for (const [method, on] of Object.entries(route.methods))
      if (on) served.add(`${method.toUpperCase()} ${route.path}`);
  }
  return [...served].sort();
}
