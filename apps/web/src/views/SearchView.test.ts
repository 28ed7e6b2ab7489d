import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import PrimeVue from "primevue/config";
import AutoComplete from "primevue/autocomplete";
import { createMemoryHistory, createRouter } from "vue-router";
import { pageOf, startFakeApi, type TFakeApi, type TFakeResponse } from "../test/fake-api";

/**
 * The asset search page against a local server shaped like the archive: the
 * URL drives the API query, results show their match counts, and the
 * loading, empty and error states and the species autocomplete work.
 */
const result = (identifier: string, name: string, counts: Record<string, number>) => ({
  identifier,
  created: "2024-01-01T00:00:00Z",
  modified: "2024-01-01T00:00:00Z",
  contact_person: "Owner, Olive",
  embargo_status: "OPEN",
  most_recent_published_version: null,
  draft_version: {
    version: "draft",
    name,
    asset_count: 3,
    size: 1000,
    status: "Valid",
    modified: "2024-01-01T00:00:00Z",
  },
  asset_counts: counts,
});

let fake: TFakeApi;
let answer: (query: URLSearchParams) => TFakeResponse;

beforeAll(async () => {
  fake = await startFakeApi(({ path, query }) => {
    if (path === "/api/dandisets/search/") return answer(query);
    if (path === "/api/search/species/") {
      const q = (query.get("species") ?? "").toLowerCase();
      return { body: pageOf(["Mus musculus", "Rattus norvegicus"].filter((s) => s.toLowerCase().includes(q))) };
    }
    if (path === "/api/users/me/")
      return { status: 401, body: { detail: "Authentication credentials were not provided." } };
    return undefined;
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  answer = () => ({ body: pageOf([]) });
});

async function mountAt(url: string) {
  const { default: SearchView } = await import("./SearchView.vue");
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/search", name: "search", component: SearchView },
      { path: "/:rest(.*)*", component: { template: "<p>elsewhere</p>" } },
    ],
  });
  await router.push(url);
  const wrapper = mount(
    { template: "<RouterView />" },
    { global: { plugins: [router, pinia, PrimeVue] }, attachTo: document.body },
  );
  return { wrapper, router };
}
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5000 });
const searches = () => fake.requests.filter((r) => r.path === "/api/dandisets/search/");

// The machine is shared: give the page's requests time.
describe("SearchView", { timeout: 20_000 }, () => {
  it("searches with the URL's parameters and shows each result's match counts", async () => {
    answer = () => ({
      body: pageOf([result("000001", "Mouse cortex", { file_type: 2, species: 5 })], 1),
    });
    const { wrapper } = await mountAt(
      "/search?file_type=application/x-nwb&file_type=image/&species=Mus%20musculus&file_size_min=10",
    );
    await waitFor(() => expect(wrapper.text()).toContain("Mouse cortex"));
    const sent = searches().at(-1)!.query;
    expect(sent.getAll("file_type")).toEqual(["application/x-nwb", "image/"]);
    expect(sent.getAll("species")).toEqual(["Mus musculus"]);
    expect(sent.get("file_size_min")).toBe("10");
    expect(sent.get("page_size")).toBe("8");
    expect(sent.has("file_size_max")).toBe(false);
    expect(wrapper.find("#search-results-title").text()).toBe("Results (1)");
    const matches = wrapper.findAll("ul[aria-label='Matching files'] li").map((li) => li.text());
    expect(matches).toEqual(["2 assets matching file type", "5 assets matching species"]);
    expect(wrapper.find("a[href='/dandiset/000001']").exists()).toBe(true);
    // The chosen species shows in its field after a reload of this URL.
    expect(wrapper.findComponent(AutoComplete).exists()).toBe(true);
    expect(wrapper.text()).toContain("Mus musculus");
    wrapper.unmount();
  });

  it("puts a changed filter in the URL, back on page 1, and searches again", async () => {
    answer = () => ({ body: pageOf([result("000002", "Rat hippocampus", { species: 1 })], 20) });
    const { wrapper, router } = await mountAt("/search?page=2&genotype=Cre");
    await waitFor(() => expect(wrapper.text()).toContain("Rat hippocampus"));
    expect(searches().at(-1)!.query.get("page")).toBe("2");
    // Imported here: the API client reads its URL (the fake's) when first loaded.
    const { default: SearchParameters } = await import("../components/search/SearchParameters.vue");
    wrapper.findComponent(SearchParameters).vm.$emit("update", { species: ["Rattus norvegicus"] });
    await flushPromises();
    await waitFor(() => expect(searches().at(-1)!.query.getAll("species")).toEqual(["Rattus norvegicus"]));
    expect(router.currentRoute.value.query).toEqual({ genotype: ["Cre"], species: ["Rattus norvegicus"] });
    expect(searches().at(-1)!.query.get("page")).toBe("1");
    // 20 results at 8 a page: a paginator.
    expect(wrapper.find(".p-paginator").exists()).toBe(true);
    wrapper.unmount();
  });

  it("shows the empty state and DANDI's 400 messages", async () => {
    const { wrapper, router } = await mountAt("/search?file_type=text/");
    await waitFor(() => expect(wrapper.text()).toContain("No dandiset has a file matching all of these filters."));
    answer = () => ({ status: 400, body: { non_field_errors: ["file_size_max must be greater than file_size_min"] } });
    await router.push("/search?file_size_min=10&file_size_max=5");
    await waitFor(() =>
      expect(wrapper.find("[role=alert]").text()).toBe("file_size_max must be greater than file_size_min"),
    );
    wrapper.unmount();
  });

  it("suggests species from the API as the user types", async () => {
    const { wrapper } = await mountAt("/search");
    await flushPromises();
    const species = wrapper.findAllComponents(AutoComplete).find((c) => c.props("inputId") === "search-species")!;
    species.vm.$emit("complete", { originalEvent: new Event("input"), query: "RAT" });
    await waitFor(() => expect(species.props("suggestions")).toEqual(["Rattus norvegicus"]));
    const asked = fake.requests.filter((r) => r.path === "/api/search/species/").at(-1)!;
    expect(asked.query.get("species")).toBe("RAT");
    wrapper.unmount();
  });
});
