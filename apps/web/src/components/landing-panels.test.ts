import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import PrimeVue from "primevue/config";
import { pageOf, startFakeApi, type TFakeApi } from "../test/fake-api";
import type { TDandiset, TVersionInfo } from "../api/types";

/**
 * The landing page's owner panels against a local server shaped like the
 * archive: incomplete uploads (paginated, cleared by DELETE), the publish
 * checklist and release notes, the validation errors dialog, and following an
 * unembargo until the dandiset is OPEN.
 */
let uploads = Array.from({ length: 13 }, (_, i) => ({
  created: "2024-05-01T10:00:00.000000Z",
  blob: `blobs/${i}`,
  upload_id: `0000000${i}-aaaa-bbbb-cccc-dddddddddddd`.slice(-36),
  etag: "e",
  size: 1000 * (i + 1),
}));
let embargoPolls = 0;
let infoPolls = 0;
let fake: TFakeApi;

beforeAll(async () => {
  fake = await startFakeApi(({ method, path, query }) => {
    if (path === "/api/dandisets/000009/uploads/") {
      if (method === "DELETE") {
        uploads = [];
        return { status: 204 };
      }
      const page = Number(query.get("page") ?? 1);
      const size = Number(query.get("page_size") ?? 100);
      return { body: pageOf(uploads.slice((page - 1) * size, page * size), uploads.length) };
    }
    if (path === "/api/dandisets/000009/unembargo/") return { body: undefined };
    if (path === "/api/dandisets/000010/versions/draft/info/") {
      infoPolls += 1;
      const status = infoPolls < 2 ? "Validating" : "Valid";
      return { body: { version: "draft", status, version_validation_errors: [], asset_validation_errors: [] } };
    }
    if (path === "/api/dandisets/000009/") {
      embargoPolls += 1;
      return { body: { identifier: "000009", embargo_status: embargoPolls < 3 ? "UNEMBARGOING" : "OPEN" } };
    }
    return undefined;
  });
});
afterAll(() => fake.close());

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5000 });
const clickInPage = (text: string) =>
  [...document.body.querySelectorAll<HTMLElement>("button")].find((b) => b.textContent?.trim() === text)!.click();
const global = () => ({ plugins: [createPinia(), PrimeVue] });

describe("IncompleteUploads", () => {
  it("lists the uploads a page at a time and clears them after confirming", async () => {
    const { default: IncompleteUploads } = await import("./IncompleteUploads.vue");
    const wrapper = mount(IncompleteUploads, {
      props: { identifier: "000009" },
      global: global(),
      attachTo: document.body,
    });
    await waitFor(() => expect(wrapper.findAll("li").length).toBe(10));
    expect(wrapper.text()).toContain("13 uploads were started but not finished");
    expect(wrapper.text()).toContain("1 / 2");
    await wrapper.find("button[aria-label='Next Page']").trigger("click");
    await waitFor(() => expect(wrapper.findAll("li").length).toBe(3));
    expect(fake.requests.at(-1)!.query.get("page")).toBe("2");

    await wrapper
      .findAll("button")
      .find((b) => b.text() === "Clear incomplete uploads")!
      .trigger("click");
    await waitFor(() => expect(document.body.textContent).toContain("Clear incomplete uploads?"));
    clickInPage("Clear");
    await waitFor(() => expect(wrapper.emitted("cleared")).toHaveLength(1));
    expect(fake.requests.some((r) => r.method === "DELETE" && r.path === "/api/dandisets/000009/uploads/")).toBe(true);
    // Nothing left: the panel hides itself.
    await waitFor(() => expect(wrapper.find("section").exists()).toBe(false));
    wrapper.unmount();
  });
});

const info = (over: Partial<TVersionInfo> = {}): TVersionInfo =>
  ({
    version: "draft",
    name: "D",
    asset_count: 2,
    size: 10,
    status: "Valid",
    created: "",
    modified: "",
    contact_person: "",
    dandiset: {} as TVersionInfo["dandiset"],
    asset_validation_errors: [],
    version_validation_errors: [],
    metadata: {
      description: "Data",
      license: ["spdx:CC0-1.0"],
      contributor: [{ name: "Doe, Jane", roleName: ["dcite:ContactPerson"] }],
    },
    ...over,
  }) as TVersionInfo;

describe("PublishDialog", () => {
  it("shows the checklist and publishes with release notes only once acknowledged", async () => {
    const { default: PublishDialog } = await import("./PublishDialog.vue");
    const wrapper = mount(PublishDialog, {
      props: { info: info(), visible: true, "onUpdate:visible": () => {} },
      global: global(),
      attachTo: document.body,
    });
    await waitFor(() => expect(document.body.querySelectorAll("[aria-label='Publish checklist'] li").length).toBe(6));
    const items = [...document.body.querySelectorAll("[aria-label='Publish checklist'] li")].map((li) => li.className);
    // Keywords are missing; everything else is there.
    expect(items).toEqual(["ok", "ok", "ok", "missing", "ok", "ok"]);
    const submit = [...document.body.querySelectorAll<HTMLButtonElement>("button")].find(
      (b) => b.textContent?.trim() === "Publish version",
    )!;
    expect(submit.disabled).toBe(true);
    const notes = document.body.querySelector<HTMLTextAreaElement>("#release-notes")!;
    notes.value = "  First release.  ";
    notes.dispatchEvent(new Event("input"));
    const ack = document.body.querySelector<HTMLInputElement>("input[type=checkbox]")!;
    ack.checked = true;
    ack.dispatchEvent(new Event("change"));
    await flushPromises();
    expect(submit.disabled).toBe(false);
    submit.click();
    await flushPromises();
    expect(wrapper.emitted("publish")).toEqual([["First release."]]);
    expect(document.body.textContent).not.toContain("as an administrator");
    wrapper.unmount();

    // An admin who is not an owner is told so first.
    const admin = mount(PublishDialog, {
      props: { info: info(), asAdmin: true, visible: true, "onUpdate:visible": () => {} },
      global: global(),
      attachTo: document.body,
    });
    await waitFor(() => expect(document.body.textContent).toContain("you are publishing it as an administrator"));
    admin.unmount();
  });
});

describe("ValidationSummary", () => {
  /** Mounts the summary over the store's version info, as the landing page does. */
  async function mountWith(info: Partial<TVersionInfo>) {
    const pinia = createPinia();
    setActivePinia(pinia);
    const { useDandisetStore } = await import("../stores/dandiset");
    useDandisetStore().info = { version: "draft", ...info } as TVersionInfo;
    const { default: ValidationSummary } = await import("./ValidationSummary.vue");
    return mount(ValidationSummary, { global: { plugins: [pinia, PrimeVue] }, attachTo: document.body });
  }

  it("counts the errors and lists them, with file paths, in a dialog", async () => {
    const wrapper = await mountWith({
      status: "Invalid",
      version_validation_errors: [{ field: "contributor", message: "A contact person is required" }],
      asset_validation_errors: [
        { field: "", message: "Bad NWB", path: "sub-01/a.nwb" },
        { field: "session_id", message: "Missing", path: "sub-02/b.nwb" },
      ],
    });
    expect(wrapper.find("[data-testid='validation-status']").text()).toBe("Invalid");
    expect(wrapper.text()).toContain("1 metadata error, 2 file errors.");
    await wrapper.find("button").trigger("click");
    await waitFor(() => expect(document.body.textContent).toContain("Validation errors"));
    const text = document.body.textContent!;
    expect(text).toContain("contributor: A contact person is required");
    expect(text).toContain("sub-01/a.nwb: Bad NWB");
    expect(text).toContain("sub-02/b.nwb (session_id): Missing");
    wrapper.unmount();

    const clean = await mountWith({ status: "Valid", version_validation_errors: [], asset_validation_errors: [] });
    expect(clean.text()).toContain("No validation errors.");
    expect(clean.find("[data-testid='validation-status']").text()).toBe("Valid");
    expect(clean.find("button").exists()).toBe(false);
    clean.unmount();

    const pending = await mountWith({ status: "Pending", version_validation_errors: [], asset_validation_errors: [] });
    expect(pending.find("[data-testid='validation-status']").text()).toBe("Validating…");
    expect(pending.text()).not.toContain("No validation errors.");
    pending.unmount();
  });
});

describe("useValidationStatus", () => {
  it("asks the server again while the draft is Pending, and stops once it is settled", async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const { useDandisetStore } = await import("../stores/dandiset");
    const { useValidationStatus } = await import("../composables/use-validation-status");
    const store = useDandisetStore();
    store.dandiset = { identifier: "000010", embargo_status: "OPEN" } as TDandiset;
    store.info = {
      version: "draft",
      status: "Pending",
      version_validation_errors: [],
      asset_validation_errors: [],
    } as unknown as TVersionInfo;
    const { defineComponent, h } = await import("vue");
    let status: ReturnType<typeof useValidationStatus> | undefined;
    const Probe = defineComponent({
      setup() {
        status = useValidationStatus({ poll: true });
        return () => h("span", status!.look.value?.label);
      },
    });
    const wrapper = mount(Probe, { global: { plugins: [pinia] } });
    expect(wrapper.text()).toBe("Validating…");
    // The fake server answers Validating to the first poll and Valid to the next (1 s, then 2 s later).
    await vi.waitFor(() => expect(wrapper.text()).toBe("Valid"), { timeout: 8000, interval: 100 });
    expect(status!.settled.value).toBe(true);
    const polls = fake.requests.filter((r) => r.path === "/api/dandisets/000010/versions/draft/info/").length;
    expect(polls).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(fake.requests.filter((r) => r.path === "/api/dandisets/000010/versions/draft/info/").length).toBe(polls);
    wrapper.unmount();
  }, 20_000);
});

describe("dandiset store unembargo", () => {
  it("requests the unembargo and polls until the dandiset is OPEN", async () => {
    setActivePinia(createPinia());
    const { useDandisetStore } = await import("../stores/dandiset");
    const store = useDandisetStore();
    store.dandiset = { identifier: "000009", embargo_status: "EMBARGOED" } as TDandiset;
    // Real time: two 2-second polls see UNEMBARGOING, the third OPEN.
    expect(await store.unembargo()).toBe(true);
    expect(store.progress).toBe("This dandiset is now public.");
    expect(store.dandiset?.embargo_status).toBe("OPEN");
    expect(embargoPolls).toBe(3);
    expect(fake.requests.filter((r) => r.path === "/api/dandisets/000009/unembargo/").map((r) => r.method)).toEqual([
      "POST",
    ]);
  }, 20_000);

  it("stops following an unembargo once the page is left", async () => {
    setActivePinia(createPinia());
    const { useDandisetStore } = await import("../stores/dandiset");
    const store = useDandisetStore();
    store.dandiset = { identifier: "000009", embargo_status: "UNEMBARGOING" } as TDandiset;
    const left = new AbortController();
    left.abort();
    const before = fake.requests.length;
    expect(await store.waitForUnembargo(1000, left.signal)).toBe(false);
    expect(fake.requests.length).toBe(before);
    expect(store.error).toBeNull();
  });
});
