import type { Express } from "express";

/** One route the app registers: its method (Express's `_all` as `_ALL`), mount prefix and path (as registered). */
export interface TRegisteredRoute {
  method: string;
  prefix: string;
  path: string | string[];
}

type TLayer = {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: TLayer[] };
  rawPath?: string;
};

/** Every route of the app, found by walking Express's router stack (mounted routers included). */
export function registeredRoutes(app: Express): TRegisteredRoute[] {
  const found: TRegisteredRoute[] = [];
  const walk = (stack: TLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods))
          found.push({ method: m.toUpperCase(), prefix, path: layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix + (layer.rawPath && layer.rawPath !== "/" ? layer.rawPath : ""));
      }
    }
  };
  walk((app as unknown as { router: { stack: TLayer[] } }).router.stack, "");
  return found;
}
