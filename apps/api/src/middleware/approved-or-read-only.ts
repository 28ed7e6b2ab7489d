import type { NextFunction, Request, Response } from "express";
import { ApiError, canWrite } from "@dandi/core";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * DANDI's global IsApprovedOrReadOnly: any unsafe method needs an authenticated
 * superuser or APPROVED user. Routes that unapproved users must reach (sign-in,
 * the questionnaire) are listed in `exempt`.
 */
export function approvedOrReadOnly(exempt: RegExp[] = []) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method) || exempt.some((re) => re.test(req.path))) return next();
    if (!req.user) throw ApiError.unauthenticated();
    if (!canWrite(req.user)) throw ApiError.forbidden();
    next();
  };
}
