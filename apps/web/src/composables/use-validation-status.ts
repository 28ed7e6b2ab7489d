import { computed, onBeforeUnmount, watch } from "vue";
import type { TValidationError, TVersionStatus } from "../api/types";
import { useDandisetStore } from "../stores/dandiset";

/** Statuses the worker is still working on: the page asks again until it settles. */
const UNSETTLED: TVersionStatus[] = ["Pending", "Validating", "Publishing"];
const FIRST_POLL_MS = 1000;
const MAX_POLL_MS = 10_000;

export interface TStatusLook {
  label: string;
  tone: "ok" | "bad" | "busy";
  help: string;
}

/** How a version status is shown, the same on every page. */
export function statusLook(status: TVersionStatus, errorCount: number): TStatusLook {
  if (status === "Pending" || status === "Validating")
    return { label: "Validating…", tone: "busy", help: "The server is validating the latest changes." };
  if (status === "Publishing") return { label: "Publishing…", tone: "busy", help: "A publish is in progress." };
  if (status === "Published") return { label: "Published", tone: "ok", help: "This version is published." };
  if (status === "Valid" && errorCount === 0) return { label: "Valid", tone: "ok", help: "Ready to publish." };
  return {
    label: "Invalid",
    tone: "bad",
    help: `${errorCount} validation error${errorCount === 1 ? "" : "s"} to fix before publishing.`,
  };
}

/**
 * The one source of the viewed version's validation status: derived from the
 * version's `status` and its metadata and asset validation errors as the server
 * reports them (the dandiset store's version info). With `poll`, a page that
 * shows it asks the server again (backing off from 1 s to 10 s) while the status
 * is Pending, Validating or Publishing, and stops when it settles or the page
 * goes away.
 */
export function useValidationStatus(options: { poll?: boolean } = {}) {
  const store = useDandisetStore();
  const status = computed<TVersionStatus | null>(() => store.info?.status ?? null);
  const versionErrors = computed<TValidationError[]>(() => store.info?.version_validation_errors ?? []);
  const assetErrors = computed<TValidationError[]>(() => store.info?.asset_validation_errors ?? []);
  const errorCount = computed(() => versionErrors.value.length + assetErrors.value.length);
  const settled = computed(() => status.value !== null && !UNSETTLED.includes(status.value));
  const look = computed(() => (status.value ? statusLook(status.value, errorCount.value) : null));

  /** Asset errors of one file, or (folder) of every file under a folder path. */
  function assetErrorsAt(path: string, folder = false): TValidationError[] {
    const prefix = `${path.replace(/\/+$/, "")}/`;
    return assetErrors.value.filter((e) => (folder ? (e.path ?? "").startsWith(prefix) : e.path === path));
  }

  if (options.poll) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = FIRST_POLL_MS;
    let stopped = false;
    const schedule = () => {
      clearTimeout(timer);
      if (stopped || settled.value || !store.info) return;
      timer = setTimeout(async () => {
        try {
          await store.refreshInfo();
        } catch {
          // A failed poll (the API restarting) is retried with the next, longer delay.
        }
        delay = Math.min(delay * 2, MAX_POLL_MS);
        schedule();
      }, delay);
    };
    watch(
      () => [store.info?.version, status.value],
      () => {
        if (!settled.value) {
          delay = FIRST_POLL_MS;
          schedule();
        }
      },
      { immediate: true },
    );
    onBeforeUnmount(() => {
      stopped = true;
      clearTimeout(timer);
    });
  }

  return { status, versionErrors, assetErrors, errorCount, settled, look, assetErrorsAt };
}
