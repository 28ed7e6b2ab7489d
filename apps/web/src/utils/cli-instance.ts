/**
 * How the `dandi` CLI names this archive, and so which environment variable it
 * reads the API key from. dandi-cli (dandi/consts.py `known_instances`,
 * dandi/utils.py `_get_instance`, dandi/dandiapi.py `api_key_env_var`):
 * a URL of a known instance maps to its name; any other API URL is named after
 * its host, plus `:port` when the URL has one; the variable is
 * `name.upper().replace("-", "_") + "_API_KEY"`.
 */

/** dandi-cli's known instances, by API URL (DANDI_INSTANCEHOST defaults to localhost). */
const KNOWN_INSTANCES: Record<string, string> = {
  "https://api.dandiarchive.org/api": "dandi",
  "https://api.sandbox.dandiarchive.org/api": "dandi-sandbox",
  "http://localhost:8000/api": "dandi-api-local-docker-tests",
  "https://api.lincbrain.org/api": "linc",
  "https://staging-api.lincbrain.org/api": "linc-staging",
  "https://api-dandi.emberarchive.org/api": "ember-dandi",
  "https://api-dandi.sandbox.emberarchive.org/api": "ember-dandi-sandbox",
};

export interface TCliInstance {
  /** The CLI's name of the instance (`-i NAME`, `dandi://NAME/...`). */
  name: string;
  /** Whether the CLI knows it by name (else it is reached by URL). */
  known: boolean;
  /** The environment variable the CLI reads the API key from. */
  envVar: string;
  /** Whether `envVar` is a shell variable name (`LOCALHOST:8001_API_KEY` is not). */
  shellSafe: boolean;
  /** The shell lines that download a dandiset and upload to it with `key`. */
  commands: (key: string, dandisetId: string) => string[];
}

/** `apiUrl`: the API's URL as /api/info/ announces it (services.api.url), e.g. http://localhost:8000/api. */
export function describeCliInstance(apiUrl: string): TCliInstance {
  const api = apiUrl.replace(/\/+$/, "");
  const knownName = KNOWN_INSTANCES[api];
  const url = new URL(api);
  // Python's URL(...).explicit_port: only a port written in the URL.
  const explicitPort = /^[a-z]+:\/\/(?:[^/@]*@)?(?:\[[^\]]*\]|[^/:]*):(\d+)/i.exec(api)?.[1];
  const name = knownName ?? (explicitPort ? `${url.hostname}:${explicitPort}` : url.hostname);
  const envVar = `${name.toUpperCase().replaceAll("-", "_")}_API_KEY`;
  const shellSafe = /^[A-Z_][A-Z0-9_]*$/.test(envVar);
  const origin = api.replace(/\/api$/, "");
  const download = (id: string) =>
    knownName ? `dandi download dandi://${knownName}/${id}` : `dandi download ${origin}/api/dandisets/${id}/`;
  const upload = `dandi upload -i ${knownName ?? origin}`;
  return {
    name,
    known: knownName !== undefined,
    envVar,
    shellSafe,
    commands: (key, id) =>
      shellSafe
        ? [`export ${envVar}=${key}`, download(id), `cd ${id} && ${upload}`]
        : // Not a shell variable name, but `env` can still set it for one command.
          [`env '${envVar}=${key}' ${download(id)}`, `cd ${id} && env '${envVar}=${key}' ${upload}`],
  };
}
