import { defineStore } from "pinia";
import { ref } from "vue";
import { searchDandisetAssets, type TAssetSearchResult } from "../api/search";
import { toSearchApiQuery, type TAssetSearchState } from "../utils/asset-search-query";

/**
 * Results of the asset search page. A new search aborts the one in flight, so
 * a slow answer to an older URL never replaces a newer one.
 */
export const useAssetSearchStore = defineStore("asset-search", () => {
  const results = ref<TAssetSearchResult[]>([]);
  const count = ref(0);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let controller: AbortController | null = null;

  async function search(state: TAssetSearchState): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    error.value = null;
    try {
      const page = await searchDandisetAssets(toSearchApiQuery(state), current.signal);
      results.value = page.results;
      count.value = page.count ?? page.results.length;
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      results.value = [];
      count.value = 0;
      error.value = (err as Error).message;
    }
    if (controller === current) loading.value = false;
  }

  return { results, count, loading, error, search };
});
