import { computed, type ComputedRef } from "vue";
import { useServerStore } from "../stores/server";

/** Shown until /api/info/ answers (and when it cannot be reached). */
export const DEFAULT_INSTANCE_NAME = "DANDI";

/**
 * The instance name the web app shows (navigation bar, home page, footer): the API's
 * `instance_config.instance_name` from /api/info/, i.e. its DANDI_INSTANCE_NAME setting,
 * so one setting names the archive in identifiers and in the UI.
 */
export function useInstanceName(): ComputedRef<string> {
  const server = useServerStore();
  return computed(() => server.info?.instance_config.instance_name || DEFAULT_INSTANCE_NAME);
}
