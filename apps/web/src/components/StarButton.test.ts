import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { createMemoryHistory, createRouter } from "vue-router";

/**
 * The star button against a small local HTTP server that keeps a star set the
 * way the archive does (POST adds, DELETE removes, both idempotent, the answer
 * is the new total) — another user's star is already counted.
 */
const stars = new Set<string>(["someone-else"]);
const calls: string[] = [];
let failNext = false;
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    const cors = {
      "access-control-allow-origin": req.headers.origin ?? "*",
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "POST, DELETE",
      "access-control-allow-headers": "*",
    };
    if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
    calls.push(`${req.method} ${req.url}`);
    if (failNext) {
      failNext = false;
      return void res
        .writeHead(403, { ...cors, "content-type": "application/json" })
        .end(JSON.stringify({ detail: "Your account is not approved." }));
    }
    if (req.url !== "/api/dandisets/000007/star/") return void res.writeHead(404, cors).end();
    if (req.method === "POST") stars.add("me");
    else if (req.method === "DELETE") stars.delete("me");
    res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify({ count: stars.size }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  vi.stubEnv("VITE_API_URL", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(() => server.close());

async function mountButton(status: "APPROVED" | "PENDING" | null) {
  const { default: StarButton } = await import("./StarButton.vue");
  const { useAuthStore } = await import("../stores/auth");
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = status ? { username: "me", name: "Me", admin: false, status } : null;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/:rest(.*)*", component: {} }] });
  await router.push("/dandiset/000007");
  return mount(StarButton, {
    props: { identifier: "000007", count: 1, starred: false },
    global: { plugins: [router, pinia] },
  });
}

describe("StarButton", () => {
  it("stars and unstars through the API, showing the count it returns", async () => {
    const wrapper = await mountButton("APPROVED");
    const button = wrapper.get("button");
    expect(button.attributes("aria-pressed")).toBe("false");
    expect(wrapper.get("[data-testid=star-count]").text()).toBe("1");

    await button.trigger("click");
    await vi.waitFor(() => expect(wrapper.get("[data-testid=star-count]").text()).toBe("2"));
    expect(calls.at(-1)).toBe("POST /api/dandisets/000007/star/");
    expect(button.attributes("aria-pressed")).toBe("true");
    expect(button.text()).toContain("Unstar");

    await button.trigger("click");
    await vi.waitFor(() => expect(wrapper.get("[data-testid=star-count]").text()).toBe("1"));
    expect(calls.at(-1)).toBe("DELETE /api/dandisets/000007/star/");
    expect(button.attributes("aria-pressed")).toBe("false");
    wrapper.unmount();
  });

  it("keeps the state and shows the API's message when the request fails", async () => {
    const wrapper = await mountButton("APPROVED");
    failNext = true;
    await wrapper.get("button").trigger("click");
    await vi.waitFor(() => expect(wrapper.find("[role=alert]").exists()).toBe(true));
    expect(wrapper.get("[role=alert]").text()).toBe("Your account is not approved.");
    expect(wrapper.get("button").attributes("aria-pressed")).toBe("false");
    expect(wrapper.get("[data-testid=star-count]").text()).toBe("1");
    wrapper.unmount();
  });

  it("shows only the count to anonymous visitors, with a sign-in link back here", async () => {
    const before = calls.length;
    const wrapper = await mountButton(null);
    await flushPromises();
    expect(wrapper.find("button").exists()).toBe(false);
    expect(wrapper.get("[data-testid=star-count]").text()).toContain("1");
    expect(wrapper.get("a").attributes("href")).toBe("/signin?next=/dandiset/000007");
    expect(calls.length).toBe(before);
    wrapper.unmount();
  });
});
