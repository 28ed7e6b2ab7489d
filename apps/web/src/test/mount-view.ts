import { mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import PrimeVue from "primevue/config";
import type { Component } from "vue";
import { createMemoryHistory, createRouter } from "vue-router";
import { useAuthStore } from "../stores/auth";

/**
 * Mounts a routed view as the app does (router, Pinia, PrimeVue) at `url`,
 * signed in as an approved `username` (or anonymous for null). Dialogs and
 * menus teleport to the document body, so the wrapper is attached to it.
 */
export async function mountView(view: Component, routePath: string, url: string, username: string | null) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const auth = useAuthStore();
  auth.user = username ? { username, name: username, admin: false, status: "APPROVED" } : null;
  auth.loaded = true;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: routePath, component: view, props: true },
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
