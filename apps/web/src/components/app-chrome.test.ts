import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import PrimeVue from "primevue/config";
import { createMemoryHistory, createRouter } from "vue-router";
import { pageOf, startFakeApi, type TFakeApi } from "../test/fake-api";

/**
 * The app's chrome and the Starred Dandisets list against a local fake API:
 * the account menu (initials, API key page, starred page, sign out), the
 * cookie notice, and `starred=true` sent by the starred list.
 */
let fake: TFakeApi;
beforeAll(async () => {
  fake = await startFakeApi(({ path }) => {
    if (path === "/api/auth/logout/") return { body: {} };
    if (path === "/api/dandisets/") return { body: pageOf([]) };
    return undefined;
  });
});
afterAll(() => fake.close());
beforeEach(() => localStorage.clear());

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5000 });
const Stub = { template: "<p>page</p>" };

async function setup(path = "/") {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/", name: "home", component: Stub },
      { path: "/account", name: "account", component: Stub },
      { path: "/dandiset/my", name: "my-dandisets", component: Stub },
      {
        path: "/dandiset/starred",
        name: "starred-dandisets",
        component: () => import("../views/DandisetListView.vue"),
        props: { mode: "starred" },
      },
    ],
  });
  await router.push(path);
  return { pinia, router, global: { plugins: [pinia, router, PrimeVue] } };
}

describe("UserMenu", () => {
  it("shows the user's initials and leads to the API key page, the starred list and sign-out", async () => {
    const { default: UserMenu } = await import("./UserMenu.vue");
    const { useAuthStore } = await import("../stores/auth");
    const { router, global } = await setup();
    const auth = useAuthStore();
    auth.user = { username: "jdoe", name: "Jane Doe", admin: false, status: "APPROVED" };
    const wrapper = mount(UserMenu, { global, attachTo: document.body });
    const avatar = wrapper.find("button");
    expect(avatar.text()).toBe("JD");
    expect(avatar.attributes("aria-label")).toBe("Account menu for jdoe");

    const openAndChoose = async (label: string) => {
      await avatar.trigger("click");
      await waitFor(() => expect(document.body.querySelector("#user-menu [role=menu]")).not.toBeNull());
      const item = [...document.body.querySelectorAll<HTMLElement>("#user-menu [role=menuitem]")].find(
        (el) => el.textContent?.trim() === label,
      );
      item!.querySelector<HTMLElement>("a, .p-menu-item-link, div")!.click();
    };
    await openAndChoose("API key");
    await waitFor(() => expect(router.currentRoute.value.name).toBe("account"));
    await openAndChoose("Starred Dandisets");
    await waitFor(() => expect(router.currentRoute.value.name).toBe("starred-dandisets"));
    await openAndChoose("Sign out");
    await waitFor(() => expect(auth.user).toBeNull());
    expect(router.currentRoute.value.name).toBe("home");
    expect(fake.requests.some((r) => r.method === "POST" && r.path === "/api/auth/logout/")).toBe(true);
    wrapper.unmount();
  });
});

describe("CookieBanner", () => {
  it("stays dismissed once acknowledged", async () => {
    const { default: CookieBanner } = await import("./CookieBanner.vue");
    const first = mount(CookieBanner);
    expect(first.text()).toContain("uses a cookie to keep you signed in");
    await first.find("button").trigger("click");
    expect(first.text()).toBe("");
    expect(mount(CookieBanner).text()).toBe("");
  });
});

describe("Starred Dandisets", () => {
  it("asks the API for the user's starred dandisets and says so when there are none", async () => {
    const { global, router } = await setup("/dandiset/starred");
    const wrapper = mount({ template: "<RouterView />" }, { global });
    await waitFor(() => expect(wrapper.text()).toContain("You have not starred any dandisets yet."));
    expect(wrapper.find("h1").text()).toBe("Starred Dandisets");
    const list = fake.requests.filter((r) => r.path === "/api/dandisets/").at(-1)!;
    expect(list.query.get("starred")).toBe("true");
    expect(list.query.get("empty")).toBe("true");
    expect(router.currentRoute.value.query).toEqual({});
    wrapper.unmount();
  });
});
