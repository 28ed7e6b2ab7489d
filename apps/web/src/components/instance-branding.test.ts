import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import PrimeVue from "primevue/config";
import { createMemoryHistory, createRouter } from "vue-router";
import { pageOf, startFakeApi, type TFakeApi } from "../test/fake-api";

/**
 * Operator branding: the one logo file (src/assets/logo.svg) in the navigation bar and
 * on the home page, and the instance name from the API's /api/info/ (DANDI_INSTANCE_NAME).
 */
let instanceName = "EMBER";
let fake: TFakeApi;
beforeAll(async () => {
  fake = await startFakeApi(({ path }) => {
    if (path === "/api/info/")
      return {
        body: {
          schema_version: "0.6.9",
          schema_url: "https://example.org/dandiset.json",
          version: "1.0.0",
          instance_config: { instance_name: instanceName },
          services: { api: { url: "http://api.test/api" } },
        },
      };
    if (path === "/api/stats/")
      return { body: { dandiset_count: 1, published_dandiset_count: 0, user_count: 2, size: 3 } };
    if (path === "/api/dandisets/") return { body: pageOf([]) };
    if (path === "/api/users/me/")
      return { status: 401, body: { detail: "Authentication credentials were not provided." } };
    return undefined;
  });
});
afterAll(() => fake.close());

async function mountApp() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const { default: HomeView } = await import("../views/HomeView.vue");
  const Stub = { template: "<p>page</p>" };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/", name: "home", component: HomeView },
      { path: "/signin", name: "signin", component: Stub },
      { path: "/dandiset", name: "dandisets", component: Stub },
      { path: "/:rest(.*)", component: Stub },
    ],
  });
  await router.push("/");
  const { default: App } = await import("../App.vue");
  const wrapper = mount(App, { global: { plugins: [pinia, router, PrimeVue] } });
  await vi.waitFor(() => expect(fake.requests.some((r) => r.path === "/api/info/")).toBe(true));
  await flushPromises();
  return wrapper;
}

describe("branding", { timeout: 30_000 }, () => {
  it("shows the instance's name from /api/info/ and the one logo in the nav bar, the home page and the footer", async () => {
    const wrapper = await mountApp();
    await vi.waitFor(() => expect(wrapper.find(".brand").text()).toBe("EMBER Archive"));
    expect(wrapper.find(".brand").attributes("aria-label")).toBe("EMBER Archive home");
    expect(wrapper.find(".hero h1").text()).toBe("EMBER Archive");
    expect(wrapper.find(".app-footer").text()).toContain("EMBER Archive");
    const logos = wrapper.findAll("img.brand-logo, img.hero-logo").map((img) => img.attributes("src"));
    expect(logos).toHaveLength(2);
    expect(new Set(logos).size).toBe(1);
    expect(logos[0]).toMatch(/logo\.svg|^data:image\/svg\+xml/);
    wrapper.unmount();
  });

  it("keeps DANDI's own title for the DANDI instance", async () => {
    instanceName = "DANDI";
    const wrapper = await mountApp();
    await vi.waitFor(() => expect(wrapper.find(".brand").text()).toBe("DANDI Archive"));
    expect(wrapper.find(".hero h1").text()).toBe("DANDI: Distributed Archives for Neurophysiology Data Integration");
    wrapper.unmount();
  });
});
