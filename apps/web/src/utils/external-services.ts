/**
 * The "Open with" menu of the file browser: external viewers that take a
 * file's public URL, chosen by file name and limited by size, as DANDI's
 * web app offers them. Embargoed files cannot be read by outside services,
 * so they are listed but disabled.
 */
import { apiUrl } from "../api/client";
import type { TAssetPath } from "../api/types";

interface TServiceUrls {
  /** The file's direct storage URL (S3), or the API's download URL when there is none. */
  asset: string;
  /** The API's download URL, which redirects to storage. */
  download: string;
  /** The API's asset metadata URL. */
  metadata: string;
  dandisetId: string;
  version: string;
}

interface TServiceDefinition {
  name: string;
  pattern: RegExp;
  /** Largest file the service can open, in bytes. */
  maxSize: number;
  url: (urls: TServiceUrls, assetId: string) => string;
}

const q = encodeURIComponent;
const GB = 1e9;

/** The viewers, in menu order. */
const SERVICES: TServiceDefinition[] = [
  {
    name: "BioImage Suite Viewer",
    pattern: /\.nii(\.gz)?$/i,
    maxSize: GB,
    url: (u) => `https://bioimagesuiteweb.github.io/unstableapp/viewer.html?image=${u.asset}`,
  },
  {
    name: "NWB Explorer",
    pattern: /\.nwb$/i,
    maxSize: GB,
    url: (u) => `http://nwbexplorer.opensourcebrain.org/nwbfile=${u.asset}`,
  },
  {
    name: "Neurosift",
    pattern: /\.nwb$/i,
    maxSize: Infinity,
    url: (u) => `https://neurosift.app/nwb?url=${u.download}&dandisetId=${u.dandisetId}&dandisetVersion=${u.version}`,
  },
  {
    name: "Neurosift",
    pattern: /\.nwb\.lindi\.(json|tar)$/i,
    maxSize: Infinity,
    url: (u) =>
      `https://neurosift.app/nwb?url=${u.download}&st=lindi&dandisetId=${u.dandisetId}&dandisetVersion=${u.version}`,
  },
  {
    name: "Neurosift",
    pattern: /\.avi$/i,
    maxSize: Infinity,
    url: (u) =>
      `https://v1.neurosift.app?p=/avi&url=${u.download}&dandisetId=${u.dandisetId}&dandisetVersion=${u.version}`,
  },
  {
    name: "Neuroglancer",
    pattern: /\.nii(\.gz)?$/i,
    maxSize: Infinity,
    url: (u, assetId) =>
      `https://neuroglancer-demo.appspot.com/#!${q(
        JSON.stringify({
          layers: [{ type: "image", source: u.asset, tab: "rendering", name: assetId }],
          selectedLayer: { visible: true, layer: assetId },
          layout: "4panel",
        }),
      )}`,
  },
  {
    name: "NeuroGlass",
    pattern: /\.nii(\.gz)?$/i,
    maxSize: Infinity,
    url: (u) => `https://www.neuroglass.io/new?resource=${u.metadata}`,
  },
];

export interface TExternalService {
  name: string;
  url: string;
  /** Why the service cannot be used for this file, or null when it can. */
  disabledReason: string | null;
}

export interface TServiceContext {
  dandisetId: string;
  version: string;
  embargoed: boolean;
}

/** The external services that can open a file (none for folders), each with its URL. */
export function externalServices(entry: TAssetPath, context: TServiceContext): TExternalService[] {
  const asset = entry.asset;
  if (!asset) return [];
  const metadata = apiUrl(`/assets/${asset.asset_id}/`);
  const download = apiUrl(`/assets/${asset.asset_id}/download/`);
  const urls: TServiceUrls = {
    asset: asset.url ? asset.url.replace(/\/+$/, "") : download,
    download,
    metadata,
    dandisetId: context.dandisetId,
    version: context.version,
  };
  return SERVICES.filter((s) => s.pattern.test(entry.path) && entry.aggregate_size <= s.maxSize).map((s) => ({
    name: s.name,
    url: s.url(urls, asset.asset_id),
    disabledReason: context.embargoed ? "Not available for embargoed files" : null,
  }));
}

/** The archives Neurosift can read dandisets from, by the start of a version's `metadata.url`. */
const NEUROSIFT_ARCHIVES = [
  { prefix: "https://dandiarchive.org/", param: "" },
  { prefix: "https://sandbox.dandiarchive.org/", param: "&staging=1" },
];

/**
 * The "External services" of a whole dandiset version (DANDI offers Neurosift).
 * Neurosift only reads the public DANDI archive and its sandbox (`staging=1`),
 * chosen from the version's `metadata.url` as DANDI's web app does; for any
 * other instance, or an embargoed dandiset, the item is disabled with the reason.
 */
export function dandisetServices(context: TServiceContext & { metadataUrl: string | undefined }): TExternalService[] {
  const archive = NEUROSIFT_ARCHIVES.find((a) => context.metadataUrl?.startsWith(a.prefix));
  let disabledReason: string | null = null;
  if (!archive) disabledReason = "Neurosift only reads dandisets from dandiarchive.org and its sandbox.";
  else if (context.embargoed) disabledReason = "Not available for embargoed dandisets.";
  return [
    {
      name: "Neurosift",
      url: `https://neurosift.app/dandiset/${q(context.dandisetId)}?dandisetVersion=${q(context.version)}${archive?.param ?? ""}`,
      disabledReason,
    },
  ];
}
