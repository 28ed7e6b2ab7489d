/**
 * The encodingFormat the dandi CLI gives a file it uploads: "application/x-nwb"
 * for NWB, otherwise what Python's `mimetypes.guess_type` answers for the
 * extension (the common ones of neurophysiology data sets below), else
 * "application/octet-stream".
 */
const BY_EXTENSION: Record<string, string> = {
  nwb: "application/x-nwb",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  json: "application/json",
  jsonld: "application/ld+json",
  yaml: "application/yaml",
  yml: "application/yaml",
  xml: "application/xml",
  html: "text/html",
  htm: "text/html",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  tif: "image/tiff",
  tiff: "image/tiff",
  mp4: "video/mp4",
  avi: "video/x-msvideo",
  mov: "video/quicktime",
  mkv: "video/x-matroska",
  wav: "audio/x-wav",
  mp3: "audio/mpeg",
  zip: "application/zip",
  gz: "application/gzip",
  tar: "application/x-tar",
  py: "text/x-python",
  ipynb: "application/x-ipynb+json",
  mat: "application/x-matlab-data",
  h5: "application/x-hdf5",
  hdf5: "application/x-hdf5",
};

export function encodingFormatOf(path: string): string {
  const name = path.split("/").pop() ?? path;
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return "application/octet-stream";
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? "application/octet-stream";
}
