import type { Request } from "express";
import { ApiError } from "@dandi/core";
import { absoluteRequestUrl } from "./request-url";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface PageParams {
  page: number;
  pageSize: number;
  offset: number;
}

export interface Page<T> {
  count: number | null;
  next: string | null;
  previous: string | null;
  results: T[];
}

function parsePositiveInt(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}

/**
 * DANDI's page-number pagination parameters: `page` (1-based, "last" allowed by DRF
 * is not used by clients), `page_size` (default 100, clamped at 1000). A bad page
 * number is a 404 {"detail": "Invalid page."}.
 */
export function readPageParams(req: Request, defaultPageSize = DEFAULT_PAGE_SIZE): PageParams {
  const rawPage = req.query.page;
  let page = 1;
  if (rawPage !== undefined) {
    const parsed = parsePositiveInt(rawPage);
    if (parsed === undefined) throw ApiError.notFound("Invalid page.");
    page = parsed;
  }
  const pageSize = Math.min(parsePositiveInt(req.query.page_size) ?? defaultPageSize, MAX_PAGE_SIZE);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** The request URL with `page` replaced (dropped for page 1), query keys sorted as DRF does. */
export function pageUrl(req: Request, page: number): string {
  const url = absoluteRequestUrl(req);
  const params = new URLSearchParams(url.search);
  params.delete("page");
  if (page > 1) params.set("page", String(page));
  params.sort();
  url.search = params.toString();
  return url.toString();
}

/** Builds the {count, next, previous, results} envelope for a counted page. */
export function buildPage<T>(req: Request, params: PageParams, count: number, results: T[]): Page<T> {
  const lastPage = Math.max(1, Math.ceil(count / params.pageSize));
  if (params.page > lastPage) throw ApiError.notFound("Invalid page.");
  return {
    count,
    next: params.page < lastPage ? pageUrl(req, params.page + 1) : null,
    previous: params.page > 1 ? pageUrl(req, params.page - 1) : null,
    results,
  };
}

/**
 * DANDI's lazy pagination (asset lists): `count` only on page 1; the caller fetched
 * pageSize + 1 rows so that `next` is known without counting.
 */
export function buildLazyPage<T>(req: Request, params: PageParams, rows: T[], count: number | null): Page<T> {
  const hasNext = rows.length > params.pageSize;
  const results = hasNext ? rows.slice(0, params.pageSize) : rows;
  if (params.page > 1 && results.length === 0) throw ApiError.notFound("Invalid page.");
  return {
    count: params.page === 1 ? count : null,
    next: hasNext ? pageUrl(req, params.page + 1) : null,
    previous: params.page > 1 ? pageUrl(req, params.page - 1) : null,
    results,
  };
}
