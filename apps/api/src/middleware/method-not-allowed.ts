import type { NextFunction, Request, Response, Router } from "express";
import { ApiError } from "@dandi/core";

/** What this middleware reads of the router package's layers (Express 5). */
interface TLayer {
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: TLayer[] };
  matchers?: ((path: string) => unknown)[];
}

/** The HTTP methods that routes of `stack` (and of routers mounted in it) answer at `path`. */
function allowedMethods(stack: TLayer[], path: string, found = new Set<string>()): Set<string> {
  for (const layer of stack) {
    if (layer.route) {
      if (layer.matchers?.some((match) => match(path))) {
        for (const method of Object.keys(layer.route.methods)) found.add(method.toUpperCase());
      }
    } else if (layer.handle?.stack) {
      // Sub-routers are mounted without a path, so their routes see the same path.
      allowedMethods(layer.handle.stack, path, found);
    }
  }
  return found;
}

/**
 * DRF's answer to a method a route does not have: 405 {"detail": "Method \"X\"
 * not allowed."} with an Allow header, instead of a 404. Mount it after every
 * route of `router`; paths no route matches fall through to the 404.
 */
export function methodNotAllowed(router: Router) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === "OPTIONS") return next();
    const methods = allowedMethods((router as unknown as { stack: TLayer[] }).stack, req.path);
    if (methods.size === 0) return next();
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    res.setHeader("Allow", [...methods].join(", "));
    throw ApiError.detail(405, `Method "${req.method}" not allowed.`);
  };
}
