import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import {
  addAsset,
  blobKey,
  changeUserStatus,
  computeApplicationStats,
  computeBlobSha256,
  computeDandiEtag,
  createDandiset,
  createStorage,
  createUser,
  findAssetVersion,
  makeUsername,
  publishDandiset,
  registerVersionDoi,
  SchemaCatalog,
  starDandiset,
  startPublish,
  updateDraftAssetsSummary,
  validateAssetMetadata,
  validateAssetPath,
  validateVersionMetadata,
  writeManifestFiles,
  type Storage,
  type TConfig,
} from "@dandi/core";
import type { User, UserStatus } from "@dandi/db";
import type { ManageCommand, ManageContext } from "./manage-command";
import { DEMO_DANDISETS } from "./demo-dandisets";
import { DEMO_ARCHIVE, type DemoArchiveEntry } from "./demo-archive";
import { findDemoPython, planDemoFiles, writeNwbFiles, type DemoFile } from "./demo-files";
import { hashPassword } from "./hash-password";

export const DEMO_EMAIL = "demo@example.org";
export const DEMO_ADMIN_EMAIL = "demo-admin@example.org";
/** Fixed, printed passwords of the demo accounts: set in development only (NODE_ENV=development). */
export const DEMO_PASSWORDS = { [DEMO_EMAIL]: "demo-user-password", [DEMO_ADMIN_EMAIL]: "demo-admin-password" };

interface DemoPerson {
  email: string;
  firstName: string;
  lastName: string;
  status: UserStatus;
  superuser?: boolean;
  questionnaire?: Record<string, string>;
  /** Created PENDING, then reviewed by the demo admin (an approval or rejection in the audit log). */
  review?: { status: "APPROVED" | "REJECTED"; reason?: string };
}

/** The demo owner, the demo admin, and users in each state of DANDI's sign-up review. */
const PEOPLE: DemoPerson[] = [
  { email: DEMO_EMAIL, firstName: "Demo", lastName: "User", status: "APPROVED" },
  { email: DEMO_ADMIN_EMAIL, firstName: "Demo", lastName: "Admin", status: "APPROVED", superuser: true },
  {
    email: "ada.okafor@example.org",
    firstName: "Adaeze",
    lastName: "Okafor",
    status: "PENDING",
    review: { status: "APPROVED" },
    questionnaire: {
      first_name: "Adaeze",
      last_name: "Okafor",
      affiliations: "Institute for Demonstration Neuroscience",
      website: "https://lab.example.org/okafor",
      usage: "Sharing hippocampal silicon-probe recordings with collaborators.",
      heard_about: "A colleague",
    },
  },
  {
    email: "sam.haddad@example.edu",
    firstName: "Samir",
    lastName: "Haddad",
    status: "PENDING",
    questionnaire: {
      first_name: "Samir",
      last_name: "Haddad",
      affiliations: "Example University, Department of Neurobiology",
      website: "https://neuro.example.edu/haddad",
      usage: "Depositing two-photon imaging data for a paper under review.",
      heard_about: "The NWB workshop",
    },
  },
  {
    email: "maja.lindqvist@example.net",
    firstName: "Maja",
    lastName: "Lindqvist",
    status: "PENDING",
    questionnaire: {
      first_name: "Maja",
      last_name: "Lindqvist",
      affiliations: "Nordic Brain Centre",
      website: "",
      usage: "Downloading V1 datasets for a modelling project.",
      heard_about: "Twitter",
    },
  },
  { email: "new.visitor@example.com", firstName: "", lastName: "", status: "INCOMPLETE" },
  {
    email: "spam.account@example.com",
    firstName: "Spam",
    lastName: "Account",
    status: "PENDING",
    questionnaire: {
      first_name: "Spam",
      last_name: "Account",
      affiliations: "",
      website: "https://spam.example.com",
      usage: "buy now",
      heard_about: "",
    },
    review: { status: "REJECTED", reason: "The registration does not describe a research use of the archive." },
  },
];

/** Creates the user if missing (never touches an existing one, except a missing dev password). */
async function ensurePerson(
  ctx: ManageContext,
  person: DemoPerson,
  devPasswords: boolean,
  admin?: User,
): Promise<User> {
  const { prisma, print } = ctx;
  const password = devPasswords ? DEMO_PASSWORDS[person.email as keyof typeof DEMO_PASSWORDS] : undefined;
  const existing = await prisma.user.findUnique({ where: { email: person.email } });
  if (existing) {
    if (password && !existing.passwordHash) {
      return prisma.user.update({ where: { id: existing.id }, data: { passwordHash: await hashPassword(password) } });
    }
    return existing;
  }
  print(`Creating user ${person.email} (${person.status}${person.superuser ? ", superuser" : ""})`);
  const user = await createUser(prisma, {
    email: person.email,
    status: person.status,
    firstName: person.firstName,
    lastName: person.lastName,
    isSuperuser: person.superuser ?? false,
    passwordHash: password ? await hashPassword(password) : null,
  });
  if (person.questionnaire) {
    await prisma.user.update({ where: { id: user.id }, data: { questionnaire: person.questionnaire } });
  }
  if (person.review && admin) {
    const { status, reason } = person.review;
    return (await changeUserStatus({ prisma, admin, username: user.username, status, reason })).user;
  }
  return user;
}

/** The demo owner only (the default, small seed). */
async function ensureDemoOwner(ctx: ManageContext, devPasswords: boolean): Promise<User> {
  const existing = await ctx.prisma.user.findUnique({ where: { email: DEMO_EMAIL } });
  if (existing || devPasswords) return ensurePerson(ctx, PEOPLE[0]!, devPasswords);
  ctx.print(`Creating demo user ${DEMO_EMAIL}`);
  return ctx.prisma.user.create({
    data: {
      email: DEMO_EMAIL,
      username: await makeUsername(ctx.prisma, DEMO_EMAIL),
      firstName: "Demo",
      lastName: "User",
      status: "APPROVED",
    },
  });
}

/** The draft of the owner's dandiset with this name, creating the dandiset when there is none. */
async function ensureDandiset(
  ctx: ManageContext,
  catalog: SchemaCatalog,
  owner: User,
  demo: { name: string; metadata: Record<string, unknown>; embargoed?: boolean },
): Promise<{ dandisetId: number; created: boolean }> {
  const { prisma, config, print } = ctx;
  const found = await prisma.version.findFirst({
    where: { version: "draft", name: demo.name, dandiset: { owners: { some: { userId: owner.id } } } },
    select: { dandisetId: true },
  });
  if (found) return { dandisetId: found.dandisetId, created: false };
  const id = await createDandiset({
    db: prisma,
    config,
    schemaVersion: catalog.schemaVersion,
    user: owner,
    name: demo.name,
    metadata: demo.metadata,
    embargo: demo.embargoed ? { endDate: new Date(Date.now() + 2 * 365 * 86_400_000) } : null,
  });
  const draft = await prisma.version.findUniqueOrThrow({
    where: { dandisetId_version: { dandisetId: id, version: "draft" } },
  });
  // The demo data should be publishable as is: say so loudly if the schema disagrees.
  for (const issue of catalog.validate("Dandiset", draft.metadata)) {
    print(`  schema warning: ${issue.field}: ${issue.message}`);
  }
  print(`Created dandiset ${String(id).padStart(6, "0")}: ${demo.name}`);
  return { dandisetId: id, created: true };
}

interface SeedEnv {
  ctx: ManageContext;
  catalog: SchemaCatalog;
  storage: Storage;
  owner: User;
}

/** Stores the file through the storage adapter, records its blob (dandi-etag), hashes it, adds the asset. */
async function addDemoFile(env: SeedEnv, dandisetId: number, file: DemoFile, bytes: Buffer): Promise<void> {
  const { ctx, catalog, storage, owner } = env;
  const { prisma } = ctx;
  validateAssetPath(file.path);
  const version = await findAssetVersion(prisma, dandisetId, "draft");
  const embargoed = version.embargoStatus !== "OPEN";
  const etag = computeDandiEtag(bytes);
  let blob = await prisma.assetBlob.findUnique({ where: { etag } });
  if (!blob) {
    const uuid = randomUUID();
    const key = blobKey(uuid);
    await storage.putObject(key, bytes, { embargoed });
    blob = await prisma.assetBlob.create({
      data: { blobId: uuid, key, etag, size: BigInt(bytes.length), embargoed },
    });
  }
  // The worker's own checksum step: re-reads the object, checks size and dandi-etag, stores the SHA-256.
  const hashed = await computeBlobSha256({ db: prisma, storage, blobId: blob.id });
  if (hashed.status === "mismatch" || hashed.status === "missing-blob") {
    throw new Error(`blob of ${file.path}: ${hashed.status}`);
  }
  await addAsset(prisma, {
    user: owner,
    version,
    content: { blobId: blob.blobId },
    metadata: {
      schemaKey: "Asset",
      schemaVersion: catalog.schemaVersion,
      encodingFormat: file.encodingFormat,
      contentSize: bytes.length,
      digest: { "dandi:dandi-etag": etag, "dandi:sha2-256": hashed.sha256 },
      dateModified: new Date().toISOString(),
      blobDateModified: new Date().toISOString(),
      ...file.metadata,
      path: file.path,
    },
  });
}

/** What the worker does after an upload: validates each Pending asset, the draft's summary, then the draft. */
async function validateDraft(env: SeedEnv, dandisetId: number): Promise<string> {
  const { ctx, catalog, storage } = env;
  const { prisma, config, print } = ctx;
  const draft = await prisma.version.findUniqueOrThrow({
    where: { dandisetId_version: { dandisetId, version: "draft" } },
  });
  const pending = await prisma.asset.findMany({
    where: { status: { in: ["Pending", "Validating"] }, versions: { some: { versionId: draft.id } } },
    select: { id: true, path: true },
  });
  for (const asset of pending) {
    const result = await validateAssetMetadata({ db: prisma, schemas: catalog, storage, config, assetId: asset.id });
    if (result === "Invalid") {
      const row = await prisma.asset.findUniqueOrThrow({ where: { id: asset.id } });
      print(`  asset ${asset.path} is Invalid: ${JSON.stringify(row.validationErrors)}`);
    }
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await updateDraftAssetsSummary(prisma, draft.id)).status !== "conflict") break;
  }
  await validateVersionMetadata({ db: prisma, schemas: catalog, config, versionId: draft.id });
  const after = await prisma.version.findUniqueOrThrow({ where: { id: draft.id } });
  if (after.status === "Invalid") print(`  draft is Invalid: ${JSON.stringify(after.validationErrors)}`);
  return after.status;
}

/**
 * A publish as the API and worker do it, run inline: startPublish (checks, Publishing, outbox row),
 * publishDandiset, the manifests and the DOI. The outbox row is removed since its job has run.
 */
async function publishInline(env: SeedEnv, dandisetId: number): Promise<void> {
  const { ctx, storage, owner } = env;
  const { prisma, config, print } = ctx;
  const { outboxIds } = await startPublish({
    db: prisma,
    user: owner,
    dandisetId,
    releaseNotes: "Demo release, published when the archive was seeded.",
  });
  const result = await publishDandiset({ db: prisma, storage, config, dandisetId, userId: owner.id });
  await prisma.jobOutbox.deleteMany({ where: { id: { in: outboxIds } } });
  // Skipped: a running worker drained the outbox row first and published the draft itself.
  const versionId = result.status === "published" ? result.versionId : result.latestVersionId;
  if (versionId === null)
    throw new Error(`publish of ${dandisetId} skipped: ${"reason" in result ? result.reason : ""}`);
  const { version } = await prisma.version.findUniqueOrThrow({ where: { id: versionId } });
  // Both are idempotent, so running them after the worker's own jobs changes nothing.
  await writeManifestFiles({ db: prisma, storage, config, versionId });
  const doi = await registerVersionDoi({ db: prisma, storage, config, versionId });
  const where =
    doi.status === "registered"
      ? "registered at DataCite"
      : "recorded only: not registered at DataCite, DANDI_DOI_API_URL/USER/PASSWORD are unset";
  print(`  published ${version}, DOI ${doi.doi} (${where})`);
}

async function seedFullArchive(ctx: ManageContext, catalog: SchemaCatalog, devPasswords: boolean): Promise<void> {
  const { prisma, config, print } = ctx;
  const people: User[] = [];
  for (const person of PEOPLE) people.push(await ensurePerson(ctx, person, devPasswords, people[1]));
  const owner = people[0]!;

  const storage = createStorage(config);
  const env: SeedEnv = { ctx, catalog, storage, owner };
  const python = findDemoPython(process.env);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "dandi-demo-"));
  try {
    const plans: { entry: DemoArchiveEntry; dandisetId: number; files: DemoFile[]; missing: DemoFile[] }[] = [];
    for (const [index, entry] of DEMO_ARCHIVE.entries()) {
      const { dandisetId } = await ensureDandiset(ctx, catalog, owner, entry);
      const draft = await prisma.version.findUniqueOrThrow({
        where: { dandisetId_version: { dandisetId, version: "draft" } },
      });
      const present = new Set(
        (await prisma.versionAsset.findMany({ where: { versionId: draft.id }, select: { path: true } })).map(
          (a) => a.path,
        ),
      );
      const files = planDemoFiles(entry, index);
      plans.push({ entry, dandisetId, files, missing: files.filter((f) => !present.has(f.path)) });
    }

    // Every missing NWB file in one Python process (pynwb takes seconds to import).
    const nwbFiles = plans.flatMap((p) => p.missing.filter((f) => f.nwb));
    const written = new Map<DemoFile, string>();
    if (nwbFiles.length > 0) {
      if (!python) {
        print(
          "warning: no Python with pynwb (.venv/bin/python or DANDI_DEMO_PYTHON): the demo dandisets get no NWB files",
        );
      } else {
        print(`Writing ${nwbFiles.length} NWB files with pynwb (${python})`);
        const paths = await writeNwbFiles(
          python,
          tmp,
          nwbFiles.map((f) => f.nwb!),
        );
        nwbFiles.forEach((f, i) => written.set(f, paths[i]!));
      }
    }
    const bytesOf = async (f: DemoFile) => (f.nwb ? await fs.readFile(written.get(f)!) : f.content!());
    const available = (f: DemoFile) => !f.nwb || written.has(f);

    for (const { entry, dandisetId, files, missing } of plans) {
      const label = String(dandisetId).padStart(6, "0");
      const publishedCount = await prisma.version.count({ where: { dandisetId, version: { not: "draft" } } });
      for (let release = 1; release <= Math.max(1, entry.publish); release++) {
        const due = missing.filter((f) => f.release <= release && available(f));
        for (const file of due) {
          await addDemoFile(env, dandisetId, file, await bytesOf(file));
          missing.splice(missing.indexOf(file), 1);
        }
        if (due.length > 0) print(`  ${label}: added ${due.length} files`);
        const status = await validateDraft(env, dandisetId);
        if (release <= entry.publish && release > publishedCount) {
          if (status !== "Valid") print(`  ${label}: not published, the draft is ${status}`);
          else await publishInline(env, dandisetId);
        }
      }
      const stars = people.slice(0, entry.stars);
      for (const user of stars) await starDandiset({ db: prisma, userId: user.id, dandisetId, starred: true });
      if (files.length > 0 && missing.length === files.length) print(`  ${label}: no files (see the warning above)`);
    }
    await computeApplicationStats(prisma);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  const counts = await Promise.all([
    prisma.dandiset.count(),
    prisma.version.count({ where: { version: { not: "draft" } } }),
    prisma.asset.count(),
  ]);
  print(`Demo archive: ${counts[0]} dandisets, ${counts[1]} published versions, ${counts[2]} assets`);
}

function printAccounts(print: (line: string) => void, config: TConfig, devPasswords: boolean): void {
  if (!devPasswords) return;
  print(`Demo accounts (development only, sign in at ${config.DANDI_WEB_APP_URL}/signin):`);
  print(`  admin: ${DEMO_ADMIN_EMAIL} / ${DEMO_PASSWORDS[DEMO_ADMIN_EMAIL]}`);
  print(`  user:  ${DEMO_EMAIL} / ${DEMO_PASSWORDS[DEMO_EMAIL]}`);
}

async function seedDemoDandisets(ctx: ManageContext, catalog: SchemaCatalog, devPasswords: boolean) {
  const owner = await ensureDemoOwner(ctx, devPasswords);
  if (devPasswords) await ensurePerson(ctx, PEOPLE[1]!, devPasswords);
  for (const demo of DEMO_DANDISETS) {
    const { created } = await ensureDandiset(ctx, catalog, owner, demo);
    if (!created) ctx.print(`Exists: ${demo.name}`);
  }
}

/**
 * Seeds demo content through the same core functions as the API and the worker.
 * Without options: five metadata-only dandisets owned by demo@example.org (review apps, tests).
 * With --full: the demo archive of `pnpm dev` (demo-archive.ts): dandisets with NWB and other
 * files in folders, validated, some published with a DOI, one embargoed, stars, users in every
 * review state. Idempotent either way: what exists (by dandiset name, file path, e-mail) is kept.
 * In development (NODE_ENV=development) the demo admin and user get fixed, printed passwords.
 */
export const seedDemoCommand: ManageCommand = {
  summary: `Create ${DEMO_DANDISETS.length} demo dandisets owned by ${DEMO_EMAIL}; --full: the whole demo archive (idempotent)`,
  usage: "[--full]",
  options: { full: { type: "boolean" } },
  async run(values, ctx) {
    const catalog = await SchemaCatalog.load(ctx.config);
    const devPasswords = ctx.config.NODE_ENV === "development";
    if (values.full === true) await seedFullArchive(ctx, catalog, devPasswords);
    else await seedDemoDandisets(ctx, catalog, devPasswords);
    printAccounts(ctx.print, ctx.config, devPasswords);
  },
};
