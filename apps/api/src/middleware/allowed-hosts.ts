import type { NextFunction, Request, RequestHandler, Response } from "express";

/** Platform probes answer whatever the Host: a load balancer or uptime check may use an IP. */
const PROBE_PREFIX = "/api/health/";

/** The host name of a Host header, lower case, without port, brackets or trailing dot. */
function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "");
  return name.replace(/\.$/, "");
}

/** Django's rule: "*" is any host, ".example.org" is example.org and its subdomains. */
export function isAllowedHost(name: string, allowed: string[]): boolean {
  return allowed.some(
    (pattern) =>
      pattern === "*" ||
      pattern === name ||
      (pattern.startsWith(".") && (name.endsWith(pattern) || name === pattern.slice(1))),
  );
}

/**
 * DANDI's ALLOWED_HOSTS: a request whose Host header names no allowed host gets
 * 400 before any route runs. The Host header itself is read, never X-Forwarded-Host
 * (a client can send that one through Heroku's router), so a proxy in front of the
 * API must pass the original Host on.
 */
export function allowedHosts(allowed: string[]): RequestHandler {
  const anyHost = allowed.includes("*");
  return (req: Request, res: Response, next: NextFunction) => {
    if (anyHost || req.path.startsWith(PROBE_PREFIX)) return next();
    const name = hostName(req.headers.host ?? "");
    if (name && isAllowedHost(name, allowed)) return next();
    req.log?.warn({ host: req.headers.host ?? null }, "request for a host not in ALLOWED_HOSTS");
    res.status(400).json({ detail: "Bad Request: this host is not served here (ALLOWED_HOSTS)." });
  };
}
