import { benchAssets } from "./api-assets/run";
import { benchDandisets } from "./api-dandisets/run";

// Sequential on purpose: the two suites would otherwise compete for the same cores.
await benchDandisets();
await benchAssets();
