/**
 * The plan of the full demo archive (`seed-demo --full`): the five hand-written
 * dandisets of demo-dandisets.ts plus generated ones, each with its subjects,
 * the kind of NWB files recorded from them, and whether it is published (how
 * many times) or embargoed. The files themselves are made by demo-files.ts.
 */
import { anatomy, DEMO_DANDISETS, NIMH, person, SPECIES, type DemoDandiset } from "./demo-dandisets";

export type TRecordingKind = "ecephys" | "ophys" | "behavior";

export interface DemoSpecies {
  /** The dandiset-level `about` term (NCBITaxon). */
  term: { schemaKey: string; identifier: string; name: string };
  /** The latin name written into the NWB file's Subject. */
  latin: string;
  /** Subject id stem: mouse01, rat01... */
  stem: string;
  /** For names: "mice". */
  plural: string;
}

export interface DemoArchiveEntry extends DemoDandiset {
  species: DemoSpecies;
  kind: TRecordingKind;
  subjects: number;
  sessions: number;
  /** Published versions to make: 0 (draft only), 1, or 2 (a file is added before the second). */
  publish: 0 | 1 | 2;
  embargoed: boolean;
  /** Dandiset-level files besides the NWB files: README.md, participants.tsv, a figure, a JSON. */
  extras: boolean;
  /** Stars given by the demo users, for the "stars" ordering. */
  stars: number;
}

const MOUSE: DemoSpecies = { term: SPECIES.MOUSE, latin: "Mus musculus", stem: "mouse", plural: "mice" };
const RAT: DemoSpecies = { term: SPECIES.RAT, latin: "Rattus norvegicus", stem: "rat", plural: "rats" };
const HUMAN: DemoSpecies = { term: SPECIES.HUMAN, latin: "Homo sapiens", stem: "patient", plural: "patients" };
const MACAQUE: DemoSpecies = { term: SPECIES.MACAQUE, latin: "Macaca mulatta", stem: "monkey", plural: "macaques" };

/** How the five hand-written dandisets are filled (same order as DEMO_DANDISETS). */
const HANDWRITTEN: Omit<DemoArchiveEntry, keyof DemoDandiset>[] = [
  { species: MOUSE, kind: "ecephys", subjects: 2, sessions: 2, publish: 2, embargoed: false, extras: true, stars: 5 },
  { species: MOUSE, kind: "ophys", subjects: 2, sessions: 1, publish: 1, embargoed: false, extras: true, stars: 3 },
  { species: HUMAN, kind: "ecephys", subjects: 2, sessions: 1, publish: 0, embargoed: false, extras: true, stars: 1 },
  { species: RAT, kind: "ecephys", subjects: 2, sessions: 1, publish: 0, embargoed: false, extras: true, stars: 0 },
  { species: MACAQUE, kind: "ecephys", subjects: 1, sessions: 2, publish: 1, embargoed: false, extras: true, stars: 4 },
];

/** The embargoed one: its files are visible only to its owner and admins. */
const EMBARGOED: DemoArchiveEntry = {
  name: "Unpublished cerebellar Purkinje cell recordings in mice (embargoed)",
  metadata: {
    description:
      "Juxtacellular recordings of cerebellar Purkinje cells during eyeblink conditioning. The data are " +
      "under embargo until the accompanying paper is published: only the owners and the archive's " +
      "administrators can see the files.",
    contributor: [
      person("Carberry, Josiah", ["dcite:Author", "dcite:ContactPerson"], {
        identifier: "0000-0002-1825-0097",
        email: "josiah.carberry@example.org",
      }),
      { ...NIMH, awardNumber: "R01MH000099" },
    ],
    license: ["spdx:CC-BY-4.0"],
    keywords: ["cerebellum", "Purkinje cell", "eyeblink conditioning"],
    about: [SPECIES.MOUSE, anatomy("0002037", "cerebellum")],
  },
  species: MOUSE,
  kind: "ecephys",
  subjects: 1,
  sessions: 1,
  publish: 0,
  embargoed: true,
  extras: false,
  stars: 0,
};

const REGIONS: [string, string, string][] = [
  ["0001954", "Ammon's horn", "hippocampus"],
  ["0002436", "primary visual cortex", "V1"],
  ["0001870", "frontal cortex", "prefrontal cortex"],
  ["0002037", "cerebellum", "cerebellum"],
  ["0001873", "caudate nucleus", "striatum"],
  ["0002421", "hippocampal formation", "entorhinal cortex"],
  ["0001950", "neocortex", "barrel cortex"],
  ["0002298", "brainstem", "brainstem"],
];
const TASKS = [
  "spatial navigation",
  "sensory discrimination",
  "sleep",
  "reward learning",
  "locomotion",
  "passive viewing",
  "fear conditioning",
  "decision making",
];
const PEOPLE = [
  "Okafor, Adaeze",
  "Lindqvist, Maja",
  "Haddad, Samir",
  "Moreau, Camille",
  "Tanaka, Hiroshi",
  "Novak, Petra",
  "Reyes, Daniela",
  "Fischer, Jonas",
  "Abebe, Selam",
  "Kowalski, Marta",
];
const KIND_WORDS: Record<TRecordingKind, { title: string; keywords: string[]; technique: string }> = {
  ecephys: {
    title: "Extracellular recordings",
    keywords: ["electrophysiology", "spike sorting"],
    technique: "ecephys",
  },
  ophys: { title: "Two-photon imaging", keywords: ["calcium imaging", "two-photon"], technique: "ophys" },
  behavior: { title: "Behavioral tracking", keywords: ["behavior", "pose tracking"], technique: "behavior" },
};
const KINDS: TRecordingKind[] = ["ecephys", "ophys", "behavior"];
const ANIMALS = [MOUSE, RAT, MOUSE, MACAQUE];

/** Generated dandisets, so that the lists have more than one page and every ordering differs. */
function generated(count: number): DemoArchiveEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const [uberon, regionName, region] = REGIONS[i % REGIONS.length]!;
    const task = TASKS[(i * 3) % TASKS.length]!;
    const kind = KINDS[i % KINDS.length]!;
    const species = ANIMALS[(i + Math.floor(i / 4)) % ANIMALS.length]!;
    const words = KIND_WORDS[kind];
    const lead = PEOPLE[i % PEOPLE.length]!;
    const second = PEOPLE[(i + 3) % PEOPLE.length]!;
    const common = species.plural;
    const [last, first] = lead.split(", ");
    return {
      name: `${words.title} of ${region} in ${common} during ${task} (demo ${String(i + 1).padStart(2, "0")})`,
      metadata: {
        description:
          `${words.title} from the ${region} of ${2 + (i % 5)} ${common} during ${task}. ` +
          "A generated demo dandiset: the NWB files are small synthetic recordings made when the archive was seeded.",
        contributor: [
          person(lead, ["dcite:Author", "dcite:ContactPerson"], {
            email: `${first!.toLowerCase()}.${last!.toLowerCase()}@example.org`,
          }),
          person(second, ["dcite:Author", "dcite:DataCollector"]),
          { ...NIMH, awardNumber: `R01MH${String(100 + i).padStart(6, "0")}` },
        ],
        license: [i % 4 === 3 ? "spdx:CC0-1.0" : "spdx:CC-BY-4.0"],
        keywords: [region, task, ...words.keywords, common],
        about: [species.term, anatomy(uberon, regionName)],
        studyTarget: [`How does ${region} activity relate to ${task}?`],
        protocol: [`https://protocols.example.org/demo-${words.technique}-${i + 1}`],
        ethicsApproval: [
          {
            schemaKey: "EthicsApproval",
            identifier: `IACUC-2024-${String(100 + i).padStart(4, "0")}`,
            contactPoint: { schemaKey: "ContactPoint", email: "iacuc@example.org" },
          },
        ],
        relatedResource: [
          {
            schemaKey: "Resource",
            name: `Demo paper ${i + 1}: ${region} and ${task}`,
            url: `https://papers.example.org/demo-${i + 1}`,
            relation: "dcite:IsDescribedBy",
            resourceType: "dcite:JournalArticle",
          },
        ],
      },
      species,
      kind,
      subjects: 1 + (i % 3),
      sessions: 1,
      publish: i % 6 === 0 ? 1 : 0,
      embargoed: false,
      extras: i % 5 === 0,
      stars: (i * 7) % 6,
    };
  });
}

/** Every dandiset of the full demo archive, in creation order. */
export const DEMO_ARCHIVE: DemoArchiveEntry[] = [
  ...DEMO_DANDISETS.map((d, i) => ({ ...d, ...HANDWRITTEN[i]! })),
  EMBARGOED,
  ...generated(24),
];
