/**
 * The files of the demo archive: NWB files written by pynwb (scripts/make-demo-nwb.py,
 * through the repository's Python venv), and small dandiset-level files in other
 * formats (README.md, participants.tsv, a PNG figure, a JSON of analysis parameters),
 * each with the asset metadata the dandi CLI would send for it.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { REPO_ROOT } from "@dandi/core";
import type { DemoArchiveEntry, TRecordingKind } from "./demo-archive";

export interface DemoFile {
  path: string;
  /** The published version (1, 2) that first contains the file; 1 also for drafts. */
  release: number;
  encodingFormat: string;
  /** For NWB files: what make-demo-nwb.py needs. */
  nwb?: TNwbSpec;
  /** For the other files: their content. */
  content?: () => Buffer;
  /** Asset metadata besides path, encodingFormat and what the server computes. */
  metadata: Record<string, unknown>;
}

interface TNwbSpec {
  kind: TRecordingKind;
  subject_id: string;
  species: string;
  sex: "M" | "F";
  age: string;
  session_id: string;
  description: string;
  start: string;
  seed: number;
}

const APPROACH: Record<TRecordingKind, string[]> = {
  ecephys: ["electrophysiological approach", "behavioral approach"],
  ophys: ["microscopy approach; cell population imaging", "behavioral approach"],
  behavior: ["behavioral approach"],
};
const TECHNIQUE: Record<TRecordingKind, string[]> = {
  ecephys: ["multi electrode extracellular electrophysiology recording technique", "spike sorting technique"],
  ophys: ["two-photon microscopy technique"],
  behavior: ["behavioral technique"],
};
const VARIABLES: Record<TRecordingKind, string[]> = {
  ecephys: ["ElectricalSeries", "Units", "SpatialSeries"],
  ophys: ["TwoPhotonSeries", "SpatialSeries"],
  behavior: ["SpatialSeries"],
};
const SEX = {
  M: { schemaKey: "SexType", identifier: "http://purl.obolibrary.org/obo/PATO_0000384", name: "Male" },
  F: { schemaKey: "SexType", identifier: "http://purl.obolibrary.org/obo/PATO_0000383", name: "Female" },
};

/** The NWB metadata the dandi CLI extracts (nwb2asset), for the file we write. */
function nwbMetadata(entry: DemoArchiveEntry, spec: TNwbSpec): Record<string, unknown> {
  return {
    wasAttributedTo: [
      {
        schemaKey: "Participant",
        identifier: spec.subject_id,
        species: { ...entry.species.term, schemaKey: "SpeciesType" },
        sex: SEX[spec.sex],
        age: {
          schemaKey: "PropertyValue",
          value: spec.age,
          unitText: "ISO-8601 duration",
          valueReference: { schemaKey: "PropertyValue", value: "dandi:BirthReference" },
        },
      },
    ],
    wasGeneratedBy: [
      {
        schemaKey: "Session",
        identifier: spec.session_id,
        name: spec.session_id,
        description: spec.description,
        startDate: spec.start,
      },
    ],
    approach: APPROACH[spec.kind].map((name) => ({ schemaKey: "ApproachType", name })),
    measurementTechnique: TECHNIQUE[spec.kind].map((name) => ({ schemaKey: "MeasurementTechniqueType", name })),
    variableMeasured: VARIABLES[spec.kind].map((value) => ({ schemaKey: "PropertyValue", value })),
  };
}

/** The files of one demo dandiset; `index` (its position in the plan) seeds the synthetic data. */
export function planDemoFiles(entry: DemoArchiveEntry, index: number): DemoFile[] {
  const files: DemoFile[] = [];
  const subjects = Array.from(
    { length: entry.subjects },
    (_, s) => `${entry.species.stem}${String(s + 1).padStart(2, "0")}`,
  );
  subjects.forEach((subject, s) => {
    for (let n = 1; n <= entry.sessions; n++) {
      const session = `ses-${String(n).padStart(2, "0")}`;
      const spec: TNwbSpec = {
        kind: entry.kind,
        subject_id: subject,
        species: entry.species.latin,
        sex: s % 2 === 0 ? "M" : "F",
        age: `P${60 + s * 15}D`,
        session_id: session,
        description: `${entry.kind} session ${n} of ${subject}`,
        start: new Date(Date.UTC(2024, index % 12, 1 + s * 3 + n, 9, 30)).toISOString(),
        seed: index * 100 + s * 10 + n,
      };
      // The second session of a twice-published dandiset arrives in its second version.
      const release = entry.publish === 2 && n === 2 && s === 0 ? 2 : 1;
      files.push({
        path: `sub-${subject}/sub-${subject}_${session}_${entry.kind}.nwb`,
        release,
        encodingFormat: "application/x-nwb",
        nwb: spec,
        metadata: nwbMetadata(entry, spec),
      });
    }
  });
  if (entry.extras) {
    files.push(
      {
        path: "README.md",
        release: 1,
        encodingFormat: "text/markdown",
        content: () => Buffer.from(readme(entry, subjects)),
        metadata: {},
      },
      {
        path: "participants.tsv",
        release: 1,
        encodingFormat: "text/tab-separated-values",
        content: () =>
          Buffer.from(
            ["participant_id\tspecies\tsex\tage"]
              .concat(
                subjects.map((s, i) => `sub-${s}\t${entry.species.latin}\t${i % 2 ? "F" : "M"}\tP${60 + i * 15}D`),
              )
              .join("\n") + "\n",
          ),
        metadata: {},
      },
      {
        path: "derivatives/figures/summary.png",
        release: 1,
        encodingFormat: "image/png",
        content: () => makePng(160, 96, index),
        metadata: {},
      },
      {
        path: "code/analysis-parameters.json",
        release: 1,
        encodingFormat: "application/json",
        content: () =>
          Buffer.from(
            JSON.stringify(
              { kind: entry.kind, bin_size_s: 0.02, smoothing_sigma_bins: 2, subjects: subjects.length },
              null,
              2,
            ) + "\n",
          ),
        metadata: {},
      },
    );
  }
  return files;
}

function readme(entry: DemoArchiveEntry, subjects: string[]): string {
  return [
    `# ${entry.name}`,
    "",
    String(entry.metadata.description ?? ""),
    "",
    "## Layout",
    "",
    ...subjects.map((s) => `- \`sub-${s}/\`: the NWB files of subject ${s}, one per session`),
    "- `participants.tsv`: the subjects",
    "- `derivatives/figures/`: summary figures",
    "- `code/`: analysis parameters",
    "",
    "This is demo data, generated when the archive was seeded.",
    "",
  ].join("\n");
}

/** A small RGB PNG (a smooth colour field, different per seed), encoded with node:zlib. */
export function makePng(width: number, height: number, seed: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const v = Math.sin((x + seed * 13) / 17) * Math.cos((y + seed * 7) / 11);
      row[1 + x * 3] = Math.round(40 + 100 * (v + 1));
      row[2 + x * 3] = Math.round(90 + 60 * Math.abs(v));
      row[3 + x * 3] = Math.round(200 - 80 * (v + 1) * 0.5);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The Python that has pynwb: DANDI_DEMO_PYTHON, else the repository's venv (scripts/lib/common.sh ensure_venv). */
export function findDemoPython(env: Record<string, string | undefined>): string | null {
  const candidates = [env.DANDI_DEMO_PYTHON, path.join(REPO_ROOT, ".venv/bin/python")];
  return candidates.find((p): p is string => !!p && fs.existsSync(p)) ?? null;
}

/** Writes the NWB files with pynwb, in one Python process; returns each spec's file. */
export async function writeNwbFiles(python: string, dir: string, specs: TNwbSpec[]): Promise<string[]> {
  const withPaths = specs.map((spec, i) => ({ ...spec, path: path.join(dir, `${i}.nwb`) }));
  const script = path.join(REPO_ROOT, "scripts/make-demo-nwb.py");
  const run = promisify(execFile)(python, [script], { maxBuffer: 16 * 1024 * 1024 });
  run.child.stdin!.end(JSON.stringify(withPaths));
  await run;
  return withPaths.map((s) => s.path);
}
