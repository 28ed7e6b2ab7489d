/**
 * DANDI's auto-approval rule: the e-mail ends with one of the configured
 * domains (".edu", "@nih.gov", ...; DANDI_AUTO_APPROVE_DOMAINS), case-insensitively.
 */
export function isAutoApprovedEmail(email: string, domains: readonly string[]): boolean {
  const e = email.trim().toLowerCase();
  return domains.some((d) => d.length > 0 && e.endsWith(d.toLowerCase()));
}
