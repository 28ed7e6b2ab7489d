/** A file picked or dropped, with its path relative to what was picked (folders keep their structure). */
export interface TPickedFile {
  file: File;
  relativePath: string;
}

/** From an <input type=file> (with or without webkitdirectory): the folder-relative path when there is one. */
export function filesFromInput(list: FileList | null): TPickedFile[] {
  return [...(list ?? [])].map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries answers in batches (100 in Chromium) until it answers an empty one.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: TPickedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, relativePath: path });
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries((entry as FileSystemDirectoryEntry).createReader())) {
      await walk(child, path, out);
    }
  }
}

/** Everything dropped: files, and whole folders walked recursively (their name is the first path segment). */
export async function filesFromDrop(data: DataTransfer): Promise<TPickedFile[]> {
  // The entries must be taken synchronously, before the first await: the DataTransfer empties afterwards.
  const entries = [...data.items]
    .filter((item) => item.kind === "file")
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.some((e) => e === null)) {
    return [...data.files].map((file) => ({ file, relativePath: file.name }));
  }
  const out: TPickedFile[] = [];
  for (const entry of entries) await walk(entry!, "", out);
  return out;
}
