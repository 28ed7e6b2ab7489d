/**
 * Demo dandisets for a local archive: user metadata as a DANDI user would enter
 * it in the metadata editor (the server adds the computed keys on save). The
 * people are fictional; Josiah Carberry's ORCID is ORCID's own test record.
 */

// Species as dandiset-level `about` terms (NCBITaxon); the assets summary lists species
// too, but the server computes it from the uploaded NWB files.
const MOUSE = {
  schemaKey: "GenericType",
  identifier: "http://purl.obolibrary.org/obo/NCBITaxon_10090",
  name: "Mus musculus - House mouse",
};
const RAT = {
  schemaKey: "GenericType",
  identifier: "http://purl.obolibrary.org/obo/NCBITaxon_10116",
  name: "Rattus norvegicus - Norway rat",
};
const HUMAN = {
  schemaKey: "GenericType",
  identifier: "http://purl.obolibrary.org/obo/NCBITaxon_9606",
  name: "Homo sapiens - Human",
};
const MACAQUE = {
  schemaKey: "GenericType",
  identifier: "http://purl.obolibrary.org/obo/NCBITaxon_9544",
  name: "Macaca mulatta - Rhesus monkey",
};

export const SPECIES = { MOUSE, RAT, HUMAN, MACAQUE };

export const NIMH = {
  schemaKey: "Organization",
  name: "National Institute of Mental Health",
  identifier: "https://ror.org/04xeg9z08",
  roleName: ["dcite:Funder"],
  includeInCitation: false,
};

export function person(name: string, roles: string[], extra: Record<string, unknown> = {}) {
  return {
    schemaKey: "Person",
    name,
    roleName: roles,
    includeInCitation: true,
    affiliation: [{ schemaKey: "Affiliation", name: "Institute for Demonstration Neuroscience" }],
    ...extra,
  };
}

export function anatomy(uberon: string, name: string) {
  return { schemaKey: "Anatomy", identifier: `http://purl.obolibrary.org/obo/UBERON_${uberon}`, name };
}

export interface DemoDandiset {
  name: string;
  metadata: Record<string, unknown>;
}

export const DEMO_DANDISETS: DemoDandiset[] = [
  {
    name: "Hippocampal place cells during linear track running in mice",
    metadata: {
      description:
        "Extracellular recordings from dorsal CA1 of head-fixed mice running on a virtual linear track. " +
        "Silicon probes (64 channels) were implanted in 6 mice; units were spike sorted with Kilosort and " +
        "curated manually. Position, running speed and reward times are included as behavioral time series.",
      contributor: [
        person("Carberry, Josiah", ["dcite:Author", "dcite:ContactPerson"], {
          identifier: "0000-0002-1825-0097",
          email: "josiah.carberry@example.org",
        }),
        person("Okafor, Adaeze", ["dcite:Author", "dcite:DataCollector"]),
        { ...NIMH, awardNumber: "R01MH000001" },
      ],
      license: ["spdx:CC-BY-4.0"],
      keywords: ["hippocampus", "place cells", "CA1", "silicon probe", "virtual reality"],
      about: [MOUSE, anatomy("0003881", "CA1 field of hippocampus")],
      studyTarget: ["How stable are CA1 place fields across days of exposure to a familiar track?"],
      protocol: ["https://protocols.example.org/ca1-silicon-probe-implant"],
      relatedResource: [
        {
          schemaKey: "Resource",
          name: "Kilosort: spike sorting for large-scale recordings",
          url: "https://github.com/MouseLand/Kilosort",
          relation: "dcite:IsSourceOf",
          resourceType: "dcite:Software",
        },
      ],
      ethicsApproval: [
        {
          schemaKey: "EthicsApproval",
          identifier: "IACUC-2023-0042",
          contactPoint: { schemaKey: "ContactPoint", email: "iacuc@example.org" },
        },
      ],
    },
  },
  {
    name: "Two-photon calcium imaging of mouse primary visual cortex responses to drifting gratings",
    metadata: {
      description:
        "GCaMP6s two-photon imaging of layer 2/3 neurons in primary visual cortex of awake mice viewing " +
        "drifting gratings at 8 orientations and 5 temporal frequencies. Includes raw imaging stacks, " +
        "motion-corrected movies, ROI masks and dF/F traces extracted with Suite2p.",
      contributor: [
        person("Lindqvist, Maja", ["dcite:Author", "dcite:ContactPerson"], { email: "maja.lindqvist@example.org" }),
        person("Haddad, Samir", ["dcite:Author", "dcite:Software"]),
        { ...NIMH, awardNumber: "U19NS000002" },
      ],
      license: ["spdx:CC-BY-4.0"],
      keywords: ["visual cortex", "two-photon", "calcium imaging", "orientation tuning", "GCaMP6s"],
      about: [MOUSE, anatomy("0002436", "primary visual cortex")],
      studyTarget: ["Orientation and temporal-frequency tuning of layer 2/3 neurons in mouse V1"],
      relatedResource: [
        {
          schemaKey: "Resource",
          identifier: "RRID:SCR_016434",
          name: "Suite2p",
          relation: "dcite:IsSourceOf",
          url: "https://github.com/MouseLand/suite2p",
          resourceType: "dcite:Software",
        },
      ],
    },
  },
  {
    name: "Intracranial EEG during a verbal memory task in epilepsy patients",
    metadata: {
      description:
        "Stereo-EEG recordings from 12 patients with drug-resistant epilepsy undergoing clinical monitoring " +
        "while they performed a free-recall verbal memory task. Electrode localisations are given in MNI " +
        "space. Data are de-identified; no protected health information is included.",
      contributor: [
        person("Moreau, Camille", ["dcite:Author", "dcite:ContactPerson"], { email: "camille.moreau@example.org" }),
        person("Tanaka, Hiroshi", ["dcite:Author", "dcite:Methodology"]),
      ],
      license: ["spdx:CC0-1.0"],
      keywords: ["iEEG", "sEEG", "human", "episodic memory", "free recall", "epilepsy"],
      about: [
        HUMAN,
        anatomy("0002421", "hippocampal formation"),
        { schemaKey: "Disorder", identifier: "http://purl.obolibrary.org/obo/DOID_1826", name: "epilepsy" },
      ],
      studyTarget: ["Hippocampal theta and gamma activity predicting successful memory encoding"],
      ethicsApproval: [
        {
          schemaKey: "EthicsApproval",
          identifier: "IRB-2021-1187",
          contactPoint: { schemaKey: "ContactPoint", email: "irb@example.org" },
        },
      ],
    },
  },
  {
    name: "Prefrontal population activity in rats during a delayed alternation task",
    metadata: {
      description:
        "Tetrode recordings from medial prefrontal cortex of 4 Long-Evans rats performing a T-maze delayed " +
        "alternation task with 10 s and 30 s delays. Includes spike times, LFP at 1 kHz and tracked head " +
        "position from overhead video.",
      contributor: [
        person("Novak, Petra", ["dcite:Author", "dcite:ContactPerson"], { email: "petra.novak@example.org" }),
        person("Abebe, Selam", ["dcite:DataCurator"]),
      ],
      license: ["spdx:CC-BY-4.0"],
      keywords: ["prefrontal cortex", "working memory", "tetrodes", "T-maze", "rat"],
      about: [RAT, anatomy("0001870", "frontal cortex")],
      studyTarget: ["Delay-period persistent activity in rat medial prefrontal cortex"],
    },
  },
  {
    name: "Neuropixels recordings from macaque area V4 during attention shifts",
    metadata: {
      description:
        "Neuropixels NHP probe recordings from area V4 in two rhesus macaques performing a cued covert " +
        "attention task. Each session contains spike-sorted units, LFP, eye position at 1 kHz and trial " +
        "events (cue, stimulus change, saccade).",
      contributor: [
        person("Reyes, Daniela", ["dcite:Author", "dcite:ContactPerson"], { email: "daniela.reyes@example.org" }),
        person("Fischer, Jonas", ["dcite:Author", "dcite:FormalAnalysis"]),
        { ...NIMH, awardNumber: "R01EY000003" },
      ],
      license: ["spdx:CC-BY-4.0"],
      keywords: ["V4", "attention", "Neuropixels", "macaque", "visual cortex"],
      about: [MACAQUE, anatomy("0000411", "visual cortex")],
      studyTarget: ["Attentional modulation of V4 population activity and its laminar profile"],
    },
  },
];
