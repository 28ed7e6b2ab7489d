import { describe, expect, it } from "vitest";
import type { TAssetPath } from "../api/types";
import { externalServices } from "./external-services";
import { uploadCommands } from "./format";

const file = (
  path: string,
  size = 1000,
  url: string | null = "https://bucket.s3.amazonaws.com/blobs/abc/def/",
): TAssetPath => ({
  path,
  version: 1,
  aggregate_files: 1,
  aggregate_size: size,
  asset: { asset_id: "aid-1", url },
});
const context = { dandisetId: "000123", version: "draft", embargoed: false };
const names = (entry: TAssetPath, embargoed = false) =>
  externalServices(entry, { ...context, embargoed }).map((s) => s.name);

describe("externalServices", () => {
  it("offers viewers by file type", () => {
    expect(names(file("sub-01/sub-01_ecephys.nwb"))).toEqual(["NWB Explorer", "Neurosift"]);
    expect(names(file("anat/T1w.nii.gz"))).toEqual(["BioImage Suite Viewer", "Neuroglancer", "NeuroGlass"]);
    expect(names(file("anat/T1w.nii"))).toEqual(["BioImage Suite Viewer", "Neuroglancer", "NeuroGlass"]);
    expect(names(file("x.nwb.lindi.json"))).toEqual(["Neurosift"]);
    expect(names(file("behavior.avi"))).toEqual(["Neurosift"]);
    expect(names(file("README.txt"))).toEqual([]);
    expect(names({ ...file("folder.nwb"), asset: null })).toEqual([]);
  });

  it("drops services whose size limit the file exceeds", () => {
    expect(names(file("big.nwb", 1e9))).toEqual(["NWB Explorer", "Neurosift"]);
    expect(names(file("big.nwb", 1e9 + 1))).toEqual(["Neurosift"]);
    expect(names(file("big.nii.gz", 2e9))).toEqual(["Neuroglancer", "NeuroGlass"]);
  });

  it("builds each service's URL from the storage and API URLs", () => {
    const [explorer, neurosift] = externalServices(file("a.nwb"), context);
    expect(explorer!.url).toBe(
      "http://nwbexplorer.opensourcebrain.org/nwbfile=https://bucket.s3.amazonaws.com/blobs/abc/def",
    );
    expect(neurosift!.url).toMatch(
      /^https:\/\/neurosift\.app\/nwb\?url=http:\/\/.+\/api\/assets\/aid-1\/download\/&dandisetId=000123&dandisetVersion=draft$/,
    );
    const [bioimage, , neuroglass] = externalServices(file("a.nii", 10, null), context);
    // Without a storage URL the API's download URL stands in.
    expect(bioimage!.url).toMatch(/viewer\.html\?image=http:\/\/.+\/api\/assets\/aid-1\/download\/$/);
    expect(neuroglass!.url).toMatch(/neuroglass\.io\/new\?resource=http:\/\/.+\/api\/assets\/aid-1\/$/);
    expect(explorer!.disabledReason).toBeNull();
  });

  it("disables every service for embargoed files", () => {
    const services = externalServices(file("a.nwb"), { ...context, embargoed: true });
    expect(services.map((s) => s.disabledReason)).toEqual([
      "Not available for embargoed files",
      "Not available for embargoed files",
    ]);
  });
});

describe("uploadCommands", () => {
  it("downloads the draft from the public archive, and names any other server by URL", () => {
    expect(uploadCommands("000123")).toEqual([
      "dandi download https://dandiarchive.org/dandiset/000123/draft",
      "cd 000123",
      "dandi organize <source_folder> -f dry",
      "dandi organize <source_folder>",
      "dandi upload",
    ]);
    const local = uploadCommands("000123", "http://localhost:8000/");
    expect(local[0]).toBe("dandi download http://localhost:8000/api/dandisets/000123/versions/draft/");
    expect(local.at(-1)).toBe("dandi upload -i http://localhost:8000");
  });
});
