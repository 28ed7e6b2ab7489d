/**
 * The folders that contain a path, outermost first: "a/b/c.txt" → ["a", "a/b"].
 * Each is a row of the version's asset_paths tree.
 */
export function ancestorPaths(path: string): string[] {
  const parts = path.split("/");
  const result: string[] = [];
  for (let i = 1; i < parts.length; i++) result.push(parts.slice(0, i).join("/"));
  return result;
}

/** The folder that directly contains a path ('' for the root). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}
