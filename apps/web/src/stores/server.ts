import { defineStore } from "pinia";
import { ref } from "vue";
import * as api from "../api/dandi";
import type { TServerInfo, TStats } from "../api/types";
import type { TSchema } from "../utils/json-schema";

/** Server-wide data: `/api/info/`, `/api/stats/` and the Dandiset JSON Schema, each fetched once. */
export const useServerStore = defineStore("server", () => {
  const info = ref<TServerInfo | null>(null);
  const stats = ref<TStats | null>(null);
  const schema = ref<TSchema | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function run<T>(task: () => Promise<T>): Promise<T | null> {
    loading.value = true;
    error.value = null;
    try {
      return await task();
    } catch (err) {
      error.value = (err as Error).message;
      return null;
    } finally {
      loading.value = false;
    }
  }

  async function fetchInfo(): Promise<TServerInfo | null> {
    if (!info.value) info.value = await run(api.getInfo);
    return info.value;
  }

  async function fetchStats(): Promise<void> {
    stats.value = await run(api.getStats);
  }

  /** The Dandiset schema from `info.schema_url`, as DANDI's web app loads it. */
  async function fetchSchema(): Promise<TSchema | null> {
    if (schema.value) return schema.value;
    const serverInfo = await fetchInfo();
    if (!serverInfo) return null;
    schema.value = (await run(() => api.getSchema(serverInfo.schema_url))) as TSchema | null;
    return schema.value;
  }

  return { info, stats, schema, loading, error, fetchInfo, fetchStats, fetchSchema };
});
