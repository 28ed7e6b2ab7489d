import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { ApiRequestError } from "../api/client";
import * as api from "../api/dandi";
import type { TDandiset, TOwner, TVersionInfo, TVersionWithDandiset } from "../api/types";
import { useAuthStore } from "./auth";

const POLL_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The dandiset being viewed: its detail, versions, the selected version's info and its owners. */
export const useDandisetStore = defineStore("dandiset", () => {
  const dandiset = ref<TDandiset | null>(null);
  const versions = ref<TVersionWithDandiset[]>([]);
  const info = ref<TVersionInfo | null>(null);
  const owners = ref<TOwner[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const errorStatus = ref<number | null>(null);
  const progress = ref<string | null>(null);

  const isOwner = computed(() => {
    const auth = useAuthStore();
    if (!auth.user) return false;
    return auth.isAdmin || owners.value.some((o) => o.username === auth.user!.username);
  });
  const canEdit = computed(() => isOwner.value && info.value?.version === "draft");

  function fail(err: unknown): void {
    error.value = (err as Error).message;
    errorStatus.value = err instanceof ApiRequestError ? err.status : null;
  }

  /** Loads everything the landing page shows; without a version, the latest published one (else the draft). */
  async function load(identifier: string, version?: string): Promise<void> {
    loading.value = true;
    error.value = null;
    errorStatus.value = null;
    try {
      const [detail, versionPage, ownerList] = await Promise.all([
        api.getDandiset(identifier),
        api.listVersions(identifier, { order: "-created", page_size: 100 }),
        api.getOwners(identifier),
      ]);
      dandiset.value = detail;
      versions.value = versionPage.results;
      owners.value = ownerList;
      const chosen = version ?? detail.most_recent_published_version?.version ?? "draft";
      info.value = await api.getVersionInfo(identifier, chosen);
    } catch (err) {
      fail(err);
      info.value = null;
    } finally {
      loading.value = false;
    }
  }

  async function refreshInfo(): Promise<void> {
    if (!dandiset.value || !info.value) return;
    info.value = await api.getVersionInfo(dandiset.value.identifier, info.value.version);
  }

  async function saveOwners(usernames: string[]): Promise<boolean> {
    if (!dandiset.value) return false;
    try {
      owners.value = await api.setOwners(dandiset.value.identifier, usernames);
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  }

  /**
   * Publishes the draft and polls until a new published version shows up
   * (DANDI publishes in a background job), reporting progress meanwhile.
   * Returns the new version string, or null on failure.
   */
  async function publish(releaseNotes = "", timeoutMs = 120_000): Promise<string | null> {
    if (!dandiset.value) return null;
    const id = dandiset.value.identifier;
    const before = new Set(versions.value.map((v) => v.version));
    error.value = null;
    progress.value = "Requesting publication…";
    try {
      await api.publishDraft(id, releaseNotes);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const draft = await api.getVersionInfo(id, "draft");
        progress.value = `Publishing… (draft status: ${draft.status})`;
        const page = await api.listVersions(id, { order: "-created", page_size: 100 });
        const created = page.results.find((v) => v.version !== "draft" && !before.has(v.version));
        if (created) {
          versions.value = page.results;
          progress.value = `Published version ${created.version}.`;
          return created.version;
        }
        await sleep(POLL_MS);
      }
      throw new Error("Publishing is taking longer than expected; reload the page later.");
    } catch (err) {
      fail(err);
      progress.value = null;
      return null;
    }
  }

  /** Starts unembargo and polls the dandiset until it is OPEN. */
  async function unembargo(timeoutMs = 300_000, signal?: AbortSignal): Promise<boolean> {
    if (!dandiset.value) return false;
    error.value = null;
    progress.value = "Requesting unembargo…";
    try {
      await api.unembargoDandiset(dandiset.value.identifier);
    } catch (err) {
      fail(err);
      progress.value = null;
      return false;
    }
    return waitForUnembargo(timeoutMs, signal);
  }

  /**
   * Polls a dandiset that is UNEMBARGOING (the worker copies its files out of
   * the embargo) until it is OPEN, reporting progress. Also used when a page
   * opens on a dandiset whose unembargo started earlier. An aborted `signal`
   * (the page was left) stops polling quietly.
   */
  async function waitForUnembargo(timeoutMs = 300_000, signal?: AbortSignal): Promise<boolean> {
    if (!dandiset.value) return false;
    const id = dandiset.value.identifier;
    try {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (signal?.aborted) return false;
        dandiset.value = await api.getDandiset(id);
        progress.value = `Unembargoing… (status: ${dandiset.value.embargo_status})`;
        if (dandiset.value.embargo_status === "OPEN") {
          progress.value = "This dandiset is now public.";
          return true;
        }
        if (dandiset.value.embargo_status === "EMBARGOED")
          throw new Error("Unembargo failed; the dandiset is still embargoed.");
        await sleep(POLL_MS);
      }
      throw new Error("Unembargo is taking longer than expected; reload the page later.");
    } catch (err) {
      fail(err);
      progress.value = null;
      return false;
    }
  }

  return {
    dandiset,
    versions,
    info,
    owners,
    loading,
    error,
    errorStatus,
    progress,
    isOwner,
    canEdit,
    load,
    refreshInfo,
    saveOwners,
    publish,
    unembargo,
    waitForUnembargo,
  };
});
