/** A contributor of a version's metadata named as a contact person ("dcite:ContactPerson"). */
export interface TContactPerson {
  name: string;
  /** Absent when the metadata gives none (or an empty one). */
  email: string | null;
}

/** The contact persons of a version's metadata, in contributor order. */
export function contactPersons(metadata: Record<string, unknown>): TContactPerson[] {
  const contributors = Array.isArray(metadata.contributor) ? (metadata.contributor as unknown[]) : [];
  return contributors
    .filter((c): c is Record<string, unknown> => typeof c === "object" && c !== null)
    .filter((c) => Array.isArray(c.roleName) && c.roleName.includes("dcite:ContactPerson"))
    .map((c) => ({
      name: typeof c.name === "string" && c.name ? c.name : "(unnamed)",
      email: typeof c.email === "string" && c.email.trim() ? c.email.trim() : null,
    }));
}
