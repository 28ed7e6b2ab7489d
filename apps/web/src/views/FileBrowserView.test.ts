import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { pageOf, startFakeApi, type TFakeApi } from "../test/fake-api";

/**
 * The file browser against a local server shaped like the archive: a draft
 * whose `sub-01` folder holds 10,000 files (only one page is ever rendered),
 * owned by "olive"; files can be deleted; a second dandiset is empty.
 */
const TOTAL = 10_000;
let deleted: string[] = [];
let fake: TFakeApi;

const fileRow = (n: number, prefix: string) => ({
  path: `${prefix ? `${prefix}/` : ""}file-${String(n).padStart(5, "0")}.nwb`,
  version: 1,
  aggregate_files: 1,
  aggregate_size: 1000 + n,
  asset: { asset_id: `id-${n}`, url: `https://bucket.example/blobs/${n}` },
});
const dandiset = (identifier: string) => ({
  identifier,
  created: "2024-01-01T00:00:00Z",
  modified: "2024-01-01T00:00:00Z",
  contact_person: "Owner, Olive",
  embargo_status: "OPEN",
  most_recent_published_version: null,
  draft_version: { version: "draft", name: "D", asset_count: 0, size: 0, status: "Valid" },
});

beforeAll(async () => {
  fake = await startFakeApi(({ method, path, query, body }) => {
    const m = /^\/api\/dandisets\/(\d{6})\/(.*)$/.exec(path);
    if (!m) return undefined;
    const [, id, rest] = m;
    if (rest === "") return { body: dandiset(id!) };
    if (rest === "users/") return { body: [{ username: "olive", name: "Olive Owner" }] };
    if (rest === "versions/") return { body: pageOf([{ version: "draft", name: "D" }]) };
    if (rest === "versions/draft/info/") return { body: { version: "draft", name: "D", metadata: {} } };
    const del = /^versions\/draft\/assets\/([\w-]+)\/$/.exec(rest!);
    if (method === "DELETE" && del) {
      deleted.push(del[1]!);
      return { status: 204 };
    }
    if (method === "POST" && rest === "versions/draft/assets/paths/move/") {
      const { destination } = body as { destination: string };
      if (destination === "file-00001.nwb") {
        return { status: 409, body: { detail: "A file or folder already exists at file-00001.nwb" } };
      }
      return { body: { count: 1, size: 1000 } };
    }
    if (rest !== "versions/draft/assets/paths/") return undefined;
    if (id === "000002") return { body: pageOf([]) };
    const page = Number(query.get("page") ?? 1);
    const size = Number(query.get("page_size") ?? 100);
    const prefix = query.get("path_prefix") ?? "";
    const left = Array.from({ length: TOTAL }, (_, n) => n).filter((n) => !deleted.includes(`id-${n}`));
    const rows = left.slice((page - 1) * size, page * size).map((n) => fileRow(n, prefix));
    return { body: pageOf(rows, left.length, page * size < left.length ? `http://x/?page=${page + 1}` : null) };
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  deleted = [];
});

async function mountAt(url: string, username: string | null) {
  const { default: FileBrowserView } = await import("./FileBrowserView.vue");
  // Imported once the fake API is up: the client reads its URL when first loaded.
  const { mountView } = await import("../test/mount-view");
  return mountView(FileBrowserView, "/dandiset/:identifier/:version/files", url, username);
}
/** The machine is shared: give the page's requests time. */
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 15_000 });
/** Clicks a button of the whole document (dialogs and menus are teleported out of the wrapper). */
const clickInPage = (text: string, selector = "button") =>
  [...document.body.querySelectorAll<HTMLElement>(selector)].find((b) => b.textContent?.trim() === text)!.click();

/** The listed entries, without the ".." row a folder starts with. */
const FILE_ROWS = "tbody tr:not([data-testid='parent-folder'])";

describe("FileBrowserView", () => {
  it("starts a folder with a '..' row that leads up one level, and the root has none", async () => {
    const { wrapper, router } = await mountAt("/dandiset/000001/draft/files?location=sub-01/ses-1", null);
    await waitFor(() => expect(wrapper.findAll(FILE_ROWS).length).toBe(100));
    const up = wrapper.find("tbody tr:first-child a");
    expect(up.text()).toContain("..");
    expect(up.attributes("aria-label")).toBe("Up to sub-01");
    // A link, so it is in the tab order and follows on Enter.
    expect(up.element.tagName).toBe("A");
    await up.trigger("click");
    await waitFor(() => expect(router.currentRoute.value.query).toEqual({ location: "sub-01" }));
    await waitFor(() =>
      expect(
        fake.requests
          .filter((r) => r.path.endsWith("/paths/"))
          .at(-1)!
          .query.get("path_prefix"),
      ).toBe("sub-01"),
    );
    await waitFor(() =>
      expect(wrapper.find("tbody tr:first-child a").attributes("aria-label")).toBe("Up to the root folder"),
    );
    await wrapper.find("tbody tr:first-child a").trigger("click");
    await waitFor(() => expect(router.currentRoute.value.query).toEqual({}));
    await waitFor(() => expect(wrapper.find("[data-testid='parent-folder']").exists()).toBe(false));
    // The root's page loads after the route changed: wait for it rather than read the loading state.
    await waitFor(() => expect(wrapper.findAll("tbody tr").length).toBe(100));
    wrapper.unmount();
  }, 40_000);

  it("renders one page of a 10,000-file folder and pages through it", async () => {
    const { wrapper, router } = await mountAt("/dandiset/000001/draft/files?location=sub-01", null);
    await waitFor(() => expect(wrapper.findAll(FILE_ROWS).length).toBe(100));
    const lastPaths = fake.requests.filter((r) => r.path.endsWith("/paths/")).at(-1)!;
    expect(lastPaths.query.get("path_prefix")).toBe("sub-01");
    expect(wrapper.text()).toContain("Page 1 of 100");
    expect(wrapper.findAll("nav[aria-label='Folder path'] a").map((a) => a.text())).toEqual(["root", "sub-01"]);
    // Visitors get no delete buttons.
    expect(wrapper.find("button[aria-label^='Delete']").exists()).toBe(false);

    await wrapper.find("button[aria-label='Next Page']").trigger("click");
    await flushPromises();
    await waitFor(() => expect(wrapper.text()).toContain("Page 2 of 100"));
    expect(router.currentRoute.value.query).toEqual({ location: "sub-01", page: "2" });
    await waitFor(() => expect(wrapper.find(FILE_ROWS).text()).toContain("file-00100.nwb"));
    expect(wrapper.find("a[download]").attributes("href")).toMatch(/\/api\/assets\/id-100\/download\/$/);
    wrapper.unmount();
  }, 40_000);

  it("offers NWB files to the external viewers", async () => {
    const { wrapper } = await mountAt("/dandiset/000001/draft/files", null);
    await waitFor(() => expect(wrapper.findAll("tbody tr").length).toBe(100));
    await wrapper.find("button[aria-label='Open file-00000.nwb with']").trigger("click");
    await waitFor(() => expect(document.body.querySelectorAll("[role=menu] a").length).toBe(2));
    const links = [...document.body.querySelectorAll<HTMLAnchorElement>("[role=menu] a")];
    expect(links.map((a) => a.textContent?.trim())).toEqual(["NWB Explorer", "Neurosift"]);
    expect(links[0]!.getAttribute("href")).toBe(
      "http://nwbexplorer.opensourcebrain.org/nwbfile=https://bucket.example/blobs/0",
    );
    expect(links[1]!.getAttribute("target")).toBe("_blank");
    wrapper.unmount();
  }, 40_000);

  it("lets an owner delete a draft file after confirming", async () => {
    const { wrapper } = await mountAt("/dandiset/000001/draft/files", "olive");
    await waitFor(() => expect(wrapper.find("button[aria-label='Delete file-00000.nwb']").exists()).toBe(true));
    await wrapper.find("button[aria-label='Delete file-00000.nwb']").trigger("click");
    await waitFor(() => expect(document.body.textContent).toContain("Really delete this file?"));
    // Cancel first: nothing is sent.
    clickInPage("Cancel");
    await flushPromises();
    expect(deleted).toEqual([]);

    await wrapper.find("button[aria-label='Delete file-00000.nwb']").trigger("click");
    await waitFor(() => expect(document.body.textContent).toContain("Really delete this file?"));
    clickInPage("Delete", "[role=dialog] button");
    await waitFor(() => expect(deleted).toEqual(["id-0"]));
    await waitFor(() => expect(wrapper.find("tbody tr").text()).toContain("file-00001.nwb"));
    const del = fake.requests.find((r) => r.method === "DELETE")!;
    expect(del.path).toBe("/api/dandisets/000001/versions/draft/assets/id-0/");
    wrapper.unmount();
  }, 40_000);

  it("lets an owner rename a file, and shows the API's reason when the name is taken", async () => {
    const { wrapper } = await mountAt("/dandiset/000001/draft/files", "olive");
    await waitFor(() => expect(wrapper.find("button[aria-label='Rename file-00000.nwb']").exists()).toBe(true));
    await wrapper.find("button[aria-label='Rename file-00000.nwb']").trigger("click");
    await waitFor(() => expect(document.body.querySelector("[role=dialog] input[name=name]")).not.toBeNull());
    const input = document.body.querySelector<HTMLInputElement>("[role=dialog] input[name=name]")!;
    expect(input.value).toBe("file-00000.nwb");
    input.value = "file-00001.nwb";
    input.dispatchEvent(new Event("input"));
    await flushPromises();
    expect(document.body.querySelector("[data-testid=new-path]")?.textContent).toBe("file-00001.nwb");
    clickInPage("Rename", "[role=dialog] button");
    await waitFor(() =>
      expect(document.body.querySelector("[role=dialog] [role=alert]")?.textContent).toBe(
        "A file or folder already exists at file-00001.nwb",
      ),
    );
    input.value = "renamed.nwb";
    input.dispatchEvent(new Event("input"));
    clickInPage("Rename", "[role=dialog] button");
    await waitFor(() =>
      expect(wrapper.find("[data-testid=manage-notice]").text()).toBe("Renamed file-00000.nwb to renamed.nwb."),
    );
    const moves = fake.requests.filter((r) => r.path.endsWith("/paths/move/")).map((r) => r.body);
    expect(moves).toEqual([
      { source: "file-00000.nwb", destination: "file-00001.nwb" },
      { source: "file-00000.nwb", destination: "renamed.nwb" },
    ]);
    wrapper.unmount();
  }, 40_000);

  it("shows the CLI upload commands to owners of an empty draft, and a plain note to others", async () => {
    const owner = await mountAt("/dandiset/000002/draft/files", "olive");
    await waitFor(() => expect(owner.wrapper.find("[data-testid=upload-commands]").exists()).toBe(true));
    const commands = owner.wrapper.find("[data-testid=upload-commands]").text();
    expect(commands).toContain("/api/dandisets/000002/versions/draft/");
    expect(commands).toContain("> cd 000002");
    expect(commands).toMatch(/> dandi upload -i http:\/\/127\.0\.0\.1:\d+$/);
    owner.wrapper.unmount();

    const visitor = await mountAt("/dandiset/000002/draft/files", "someone");
    await waitFor(() => expect(visitor.wrapper.text()).toContain("This dandiset has no files yet."));
    expect(visitor.wrapper.find("[data-testid=upload-commands]").exists()).toBe(false);
    visitor.wrapper.unmount();
  }, 40_000);
});
