import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { createMemoryHistory, createRouter } from "vue-router";

/**
 * The file browser over a folder of 10,000 files, served by a small local HTTP
 * server shaped like `.../assets/paths/`: only one page of rows is rendered and
 * the pager and breadcrumbs follow the URL.
 */
const TOTAL = 10_000;
const requests: URLSearchParams[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    requests.push(url.searchParams);
    const page = Number(url.searchParams.get("page") ?? 1);
    const size = Number(url.searchParams.get("page_size") ?? 100);
    const prefix = url.searchParams.get("path_prefix") ?? "";
    const results = Array.from({ length: size }, (_, i) => {
      const n = (page - 1) * size + i;
      const path = `${prefix ? `${prefix}/` : ""}file-${String(n).padStart(5, "0")}.nwb`;
      return {
        path,
        version: 1,
        aggregate_files: 1,
        aggregate_size: 1000 + n,
        asset: { asset_id: `id-${n}`, url: "" },
      };
    });
    res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
    res.end(
      JSON.stringify({
        count: TOTAL,
        next: page * size < TOTAL ? `http://x/?page=${page + 1}` : null,
        previous: page > 1 ? "http://x/" : null,
        results,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  vi.stubEnv("VITE_API_URL", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(() => server.close());

describe("FileBrowserView", () => {
  it("renders one page of a 10,000-file folder and pages through it", async () => {
    const { default: FileBrowserView } = await import("./FileBrowserView.vue");
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: "/dandiset/:identifier/:version/files", component: FileBrowserView, props: true },
        { path: "/:rest(.*)*", component: { template: "<p>elsewhere</p>" } },
      ],
    });
    await router.push("/dandiset/000001/draft/files?location=sub-01");
    const wrapper = mount({ template: "<RouterView />" }, { global: { plugins: [router, createPinia()] } });
    await vi.waitFor(() => expect(wrapper.findAll("tbody tr").length).toBe(100));
    expect(requests.at(-1)!.get("path_prefix")).toBe("sub-01");
    expect(wrapper.text()).toContain("Page 1 of 100");
    expect(wrapper.findAll("nav[aria-label='Folder path'] a").map((a) => a.text())).toEqual(["root", "sub-01"]);

    await wrapper
      .findAll("button")
      .find((b) => b.text() === "Next")!
      .trigger("click");
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.text()).toContain("Page 2 of 100"));
    expect(router.currentRoute.value.query).toEqual({ location: "sub-01", page: "2" });
    await vi.waitFor(() => expect(wrapper.find("tbody tr").text()).toContain("file-00100.nwb"));
    expect(wrapper.find("a[download]").attributes("href")).toMatch(/\/api\/assets\/id-100\/download\/$/);
    wrapper.unmount();
  }, 20_000);
});
