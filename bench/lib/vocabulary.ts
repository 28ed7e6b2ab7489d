/**
 * Words the generated metadata is made of. Description words are drawn with a
 * skewed distribution (early words are common), so a search for "neurons" hits
 * most dandisets while RARE_WORD is planted in only a handful.
 */
export const DESCRIPTION_WORDS = (
  "neurons the of and in recordings mouse cortex during data we activity neural task with to from " +
  "for is was were a were hippocampus behavior calcium imaging electrophysiology spikes units " +
  "session sessions trials probe neuropixels two-photon visual stimulus responses population " +
  "dataset contains each animal head-fixed freely moving running wheel licking reward odor " +
  "auditory somatosensory motor prefrontal thalamus striatum cerebellum amygdala retina " +
  "ganglion cells interneurons pyramidal dendrites axons synaptic plasticity learning memory " +
  "sleep spindles oscillations theta gamma ripples place grid head-direction navigation " +
  "decision-making attention working optogenetic stimulation silencing inhibition excitation " +
  "channelrhodopsin archaerhodopsin GCaMP6f GCaMP7 jRGECO fluorescence traces segmentation " +
  "suite2p kilosort spike-sorting manual curation quality metrics firing rates tuning curves " +
  "orientation direction selectivity contrast spatial frequency drifting gratings natural " +
  "scenes movies sparse noise receptive fields whisker barrel deflection texture grasping reaching " +
  "joystick lever forelimb hindlimb locomotion pupil diameter eye tracking video pose DeepLabCut " +
  "facial movements anesthetized awake chronic acute implant tetrodes silicon probes patch-clamp " +
  "whole-cell current-clamp voltage-clamp slices in-vitro in-vivo organoids human intracranial " +
  "epilepsy patients electrocorticography stereo-EEG single-unit macaque marmoset rat zebrafish " +
  "larval drosophila worm C.elegans songbird ferret NWB standard files processed raw acquisition " +
  "metadata subjects genotype transgenic Cre line Ai93 Emx1 PV SST VIP injection virus AAV " +
  "histology registration atlas CCF coordinates depth channels sampling rate kHz lfp bandpass"
).split(/\s+/);

/** Planted in the names of RARE_WORD_DANDISETS only. */
export const RARE_WORD = "axolotl";
export const RARE_WORD_DANDISETS = [17, 1234, 4242, 7777, 9001];

export const FIRST_NAMES = (
  "Alice Bob Carol David Emma Farid Grace Hiro Ines Jakob Kiara Liam Mei Nadia Omar Priya Quentin Rosa " +
  "Sven Tomoko Uma Viktor Wen Ximena Yusuf Zofia Ana Ben Chen Dmitri Elena Femi Giulia Hana Ivan Jun"
).split(" ");
export const LAST_NAMES = (
  "Smith Garcia Chen Müller Kowalski Nguyen Okafor Rossi Tanaka Ivanova Haddad Johansson Silva Patel " +
  "Kim Dubois Novak Cohen Schmidt Lopez Yamamoto Andersen Fischer Moreau Singh Wang Ali Brown Ortega"
).split(" ");
export const AFFILIATIONS = [
  "Massachusetts Institute of Technology",
  "Allen Institute for Brain Science",
  "University College London",
  "Stanford University",
  "Janelia Research Campus",
  "Columbia University",
  "Harvard Medical School",
  "Champalimaud Foundation",
  "École Polytechnique Fédérale de Lausanne",
  "New York University",
];
export const SPECIES = [
  ["http://purl.obolibrary.org/obo/NCBITaxon_10090", "Mus musculus - House mouse"],
  ["http://purl.obolibrary.org/obo/NCBITaxon_10116", "Rattus norvegicus - Norway rat"],
  ["http://purl.obolibrary.org/obo/NCBITaxon_9606", "Homo sapiens - Human"],
  ["http://purl.obolibrary.org/obo/NCBITaxon_9544", "Macaca mulatta - Rhesus monkey"],
  ["http://purl.obolibrary.org/obo/NCBITaxon_7955", "Danio rerio - Zebra fish"],
  ["http://purl.obolibrary.org/obo/NCBITaxon_7227", "Drosophila melanogaster - Fruit fly"],
];
export const APPROACHES = [
  "electrophysiological approach",
  "microscopy approach",
  "behavioral approach",
  "optogenetic approach",
  "histological approach",
];
export const TECHNIQUES = [
  "spike sorting technique",
  "multi electrode extracellular electrophysiology recording technique",
  "two-photon microscopy technique",
  "behavioral technique",
  "patch clamp technique",
  "analytical technique",
  "surgical technique",
  "signal filtering technique",
  "current clamp technique",
  "voltage clamp technique",
  "fourier analysis technique",
];
export const KEYWORDS = (
  "electrophysiology calcium-imaging hippocampus visual-cortex behavior optogenetics sleep navigation " +
  "decision-making memory motor-cortex neuropixels two-photon place-cells interneurons epilepsy human " +
  "zebrafish mouse rat macaque olfaction audition whiskers learning"
).split(" ");
export const LICENSES = ["spdx:CC-BY-4.0", "spdx:CC0-1.0"];
