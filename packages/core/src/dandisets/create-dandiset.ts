import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import type { TConfig } from "../config";
import { ApiError } from "../errors";
import { findDandisetWithOwners } from "./find-dandiset-with-owners";
import { assertMetadataBounds, METADATA_SAVE_TRANSACTION_OPTIONS } from "../validation/json-bounds";
import { formatDate, formatDandisetIdentifier, populateVersionMetadata } from "../versions/populate-version-metadata";
import { stripVersionMetadata, type TMetadata } from "../versions/strip-version-metadata";

export interface CreateDandisetOptions {
  db: PrismaClient;
  config: Pick<TConfig, "DANDI_INSTANCE_NAME" | "DANDI_WEB_APP_URL" | "DANDI_API_URL">;
  /** The server's schema version, the default `schemaVersion`. */
  schemaVersion: string;
  user: User;
  name: string;
  metadata: TMetadata;
  /** Present for an embargoed dandiset; the caller has validated the end date. */
  embargo?: { endDate: Date; fundingSource?: string; awardNumber?: string } | null;
}

/** The largest id a six-digit identifier can hold. */
const MAX_DANDISET_ID = 999_999;

/**
 * Creates a dandiset with its draft version, the creator as sole owner and a
 * create_dandiset audit record, in one transaction (DANDI's
 * create_open_dandiset / create_embargoed_dandiset). Returns the new id.
 */
export async function createDandiset(options: CreateDandisetOptions): Promise<number> {
  const { db, config, user, name, embargo } = options;
  assertMetadataBounds(options.metadata);
  const requestedId = parseRequestedIdentifier(options.metadata.identifier, config.DANDI_INSTANCE_NAME);
  if (requestedId && !(user.isSuperuser && user.isActive)) {
    throw ApiError.string(400, "Creating a dandiset for a given identifier is an admin only operation.");
  }
  const metadata = normalizeMetadata(options.metadata, options.schemaVersion, user);
  if (embargo) applyEmbargoMetadata(metadata, options.metadata, embargo);

  return db.$transaction(async (tx) => {
    let id = requestedId || 0;
    if (id) {
      if (await tx.dandiset.findUnique({ where: { id }, select: { id: true } })) {
        throw ApiError.string(400, `Dandiset ${formatDandisetIdentifier(id)} already exists`);
      }
    } else {
      // An admin may have taken ids ahead of the sequence: skip those rather than collide.
      for (;;) {
        const [row] = await tx.$queryRaw<
          { id: bigint }[]
        >`SELECT nextval(pg_get_serial_sequence('dandisets', 'id')) AS id`;
        id = Number(row!.id);
        if (id > MAX_DANDISET_ID) throw ApiError.string(400, "No dandiset identifiers left");
        if (!(await tx.dandiset.findUnique({ where: { id }, select: { id: true } }))) break;
      }
    }
    const dandiset = await tx.dandiset.create({
      data: {
        id,
        embargoStatus: embargo ? "EMBARGOED" : "OPEN",
        embargoEndDate: embargo ? embargo.endDate : null,
        owners: { create: { userId: user.id } },
      },
    });
    // dateCreated is Python's isoformat() of `created`: read back with the database's microseconds.
    const precise = (await findDandisetWithOwners(tx, dandiset.id)) ?? dandiset;
    const populated = populateVersionMetadata({ metadata, name, version: "draft", dandiset: precise, config });
    await tx.version.create({
      data: { dandisetId: id, version: "draft", name, metadata: populated as object, status: "Pending" },
    });
    await writeAuditRecord(tx, {
      dandisetId: id,
      user,
      recordType: "create_dandiset",
      details: { metadata: populated as object, embargoed: !!embargo },
    });
    return id;
  }, METADATA_SAVE_TRANSACTION_OPTIONS);
}

/** metadata.identifier ("DANDI:123456" or "123456") as an int; null when absent. */
function parseRequestedIdentifier(value: unknown, instanceName: string): number | null {
  if (value === undefined) return null;
  const raw = String(value);
  const text = raw.startsWith(`${instanceName}:`) ? raw.slice(instanceName.length + 1) : raw;
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw ApiError.string(400, `Invalid Identifier ${text}`);
  const id = Number(text.trim());
  if (id < 0 || id > MAX_DANDISET_ID) throw ApiError.string(400, `Invalid Identifier ${text}`);
  return id;
}

/** DANDI's _normalize_version_metadata: computed fields stripped, defaults underneath. */
function normalizeMetadata(raw: TMetadata, schemaVersion: string, user: User): TMetadata {
  return {
    schemaKey: "Dandiset",
    schemaVersion,
    contributor: [
      {
        name: `${user.lastName}, ${user.firstName}`,
        email: user.email,
        roleName: ["dcite:ContactPerson"],
        schemaKey: "Person",
        affiliation: [],
        includeInCitation: true,
      },
    ],
    ...stripVersionMetadata(raw),
  };
}

function applyEmbargoMetadata(
  metadata: TMetadata,
  raw: TMetadata,
  embargo: NonNullable<CreateDandisetOptions["embargo"]>,
): void {
  metadata.access = [
    { schemaKey: "AccessRequirements", status: "dandi:EmbargoedAccess", embargoedUntil: formatDate(embargo.endDate) },
  ];
  if (embargo.fundingSource) {
    // As DANDI: the funder joins the contributors the client sent, not the default contact person.
    const contributors = Array.isArray(raw.contributor) ? [...(raw.contributor as unknown[])] : [];
    const funder: TMetadata = { name: embargo.fundingSource, schemaKey: "Organization", roleName: ["dcite:Funder"] };
    if (embargo.awardNumber) funder.awardNumber = embargo.awardNumber;
    funder.includeInCitation = false;
    contributors.push(funder);
    metadata.contributor = contributors;
  }
}
