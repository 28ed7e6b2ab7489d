import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
// The slice of esbuild's plugin API used here, typed locally: esbuild and tsup are
// dependencies of the apps, not of this folder, so their types do not resolve from here.
interface TResolveArgs {
  path: string;
  resolveDir: string;
}
interface TResolveResult {
  path?: string;
  external?: boolean;
  errors?: { text: string }[];
}
interface TPluginBuild {
  onResolve(options: { filter: RegExp }, callback: (args: TResolveArgs) => TResolveResult | undefined): void;
}
interface TPlugin {
  name: string;
  setup: (build: TPluginBuild) => void;
}

const BUILTINS = new Set(builtinModules);

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function toImportPath(fromDir: string, file: string): string {
  const rel = path.relative(fromDir, file).split(path.sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/**
 * For an app that bundles the workspace packages (`@dandi/*`, TypeScript sources)
 * into `<app>/dist/`, while npm packages stay external:
 * - an npm package the app itself depends on stays a bare import;
 * - one that only a workspace package depends on (e.g. @dandi/db's
 *   @prisma/adapter-pg) would not resolve from `<app>/dist`, so it becomes a
 *   relative import of its real file under node_modules/.pnpm;
 * - the generated Prisma client stays a separate file (it loads its WebAssembly
 *   engine next to itself), imported relatively.
 * (`<app>/dist` is as deep as `packages/core/src`, so core's REPO_ROOT still holds.)
 * Relative paths stay valid when the whole tree moves (Heroku builds in /tmp/build_*,
 * then runs from /app).
 */
const resolved = new Map<string, string | null>();

/**
 * The file Node's own ESM resolution picks for `spec` imported from `dir` (not
 * esbuild's, which prefers bundler-only "module" builds that Node cannot load).
 */
function resolveAsNode(spec: string, dir: string): string | null {
  const key = `${dir}\0${spec}`;
  if (!resolved.has(key)) {
    try {
      const url = execFileSync(
        process.execPath,
        ["--input-type=module", "-e", `process.stdout.write(import.meta.resolve(${JSON.stringify(spec)}))`],
        { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
      );
      resolved.set(key, fileURLToPath(url));
    } catch {
      resolved.set(key, null);
    }
  }
  return resolved.get(key)!;
}

export function workspaceBundlePlugin(appDir: string): TPlugin {
  const outDir = path.join(appDir, "dist");
  const pkg = JSON.parse(fs.readFileSync(path.join(appDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const ownDependencies = new Set(Object.keys(pkg.dependencies ?? {}));
  return {
    name: "dandi-workspace-bundle",
    setup(build) {
      build.onResolve({ filter: /generated\/client\/index\.js$/ }, (args) => {
        const file = path.resolve(args.resolveDir, args.path);
        return { path: toImportPath(outDir, file), external: true };
      });
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const spec = args.path;
        const name = packageName(spec);
        if (name.startsWith("@dandi/") || spec.startsWith("node:") || BUILTINS.has(name)) return undefined;
        if (ownDependencies.has(name)) return { path: spec, external: true };
        const file = resolveAsNode(spec, args.resolveDir);
        if (!file) return { errors: [{ text: `Cannot resolve ${spec} from ${args.resolveDir}` }] };
        return { path: toImportPath(outDir, fs.realpathSync(file)), external: true };
      });
    },
  };
}
