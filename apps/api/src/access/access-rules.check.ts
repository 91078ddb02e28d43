import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_RULE } from './access.decorator';

/** Refuses to start when any route handler lacks an access rule: the matrix is enforced at boot. */
@Injectable()
export class AccessRulesCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const missing: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = (proto as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        if (this.reflector.get(PATH_METADATA, handler) === undefined) continue;
        const rule = this.reflector.getAllAndOverride<unknown>(ACCESS_RULE, [
          handler,
          wrapper.metatype as Type,
        ]);
        if (!rule) missing.push(`${wrapper.name}.${name}`);
      }
    }
    if (missing.length)
      throw new Error(`route handlers without an access rule: ${missing.join(', ')}`);
  }
}
