import fs from "node:fs";
import path from "node:path";

const REPO = path.resolve(import.meta.dirname, "../..");

/** A Procfile line as its environment assignments and its argv (`node` replaced by this node). */
export function procfileCommand(processType: string): { env: Record<string, string>; argv: string[] } {
  const line = fs
    .readFileSync(path.join(REPO, "Procfile"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${processType}:`));
  if (!line) throw new Error(`no ${processType} in the Procfile`);
  const words = line
    .slice(processType.length + 1)
    .trim()
    .split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [k, ...v] = words.shift()!.split("=");
    env[k!] = v.join("=");
  }
  if (words[0] === "node") words[0] = process.execPath;
  return { env, argv: words };
}

/** VmRSS and VmHWM (the peak) of a process, in MiB. */
export function readProcessRss(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]) / 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

export { REPO };
