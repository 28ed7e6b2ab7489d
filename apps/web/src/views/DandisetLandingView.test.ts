import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pageOf, startFakeApi, type TFakeApi } from "../test/fake-api";

/**
 * The landing page against a local server shaped like the archive, for an
 * owner: a dandiset whose unembargo is already running when the page opens is
 * followed until it is OPEN; the owner panels (incomplete uploads, validation)
 * show, and a visitor sees none of them.
 */
let status = "UNEMBARGOING";
let polls = 0;
let fake: TFakeApi;

const version = { version: "draft", name: "Pilot data", asset_count: 1, size: 10, status: "Valid" };
beforeAll(async () => {
  fake = await startFakeApi(({ path }) => {
    if (path === "/api/info/") return { body: { version: "0.1.0", schema_version: "0.6.9", services: { api: {} } } };
    if (path === "/api/dandisets/000042/") {
      polls += 1;
      if (polls >= 3) status = "OPEN";
      return {
        body: {
          identifier: "000042",
          created: "2024-01-01T00:00:00Z",
          modified: "2024-01-01T00:00:00Z",
          contact_person: "Owner, Olive",
          embargo_status: status,
          most_recent_published_version: null,
          draft_version: version,
        },
      };
    }
    if (path === "/api/dandisets/000042/versions/") return { body: pageOf([version]) };
    if (path === "/api/dandisets/000042/users/") return { body: [{ username: "olive", name: "Olive Owner" }] };
    if (path === "/api/dandisets/000042/uploads/") return { body: pageOf([]) };
    if (path === "/api/dandisets/000042/versions/draft/info/") {
      return {
        body: {
          ...version,
          release_notes: "",
          metadata: { name: "Pilot data", description: "Kept private." },
          version_validation_errors: [],
          asset_validation_errors: [],
        },
      };
    }
    return undefined;
  });
});
afterAll(() => fake.close());

async function mountAs(username: string | null) {
  const { default: DandisetLandingView } = await import("./DandisetLandingView.vue");
  // Imported once the fake API is up: the client reads its URL when first loaded.
  const { mountView } = await import("../test/mount-view");
  const { wrapper } = await mountView(
    DandisetLandingView,
    "/dandiset/:identifier/:version?",
    "/dandiset/000042/draft",
    username,
  );
  return wrapper;
}

describe("DandisetLandingView", () => {
  it("follows an unembargo that was already running until the dandiset is public", async () => {
    const wrapper = await mountAs("olive");
    await vi.waitFor(() => expect(wrapper.text()).toContain("This dandiset is being unembargoed, please wait."), {
      timeout: 5000,
    });
    await vi.waitFor(() => expect(wrapper.text()).toContain("This dandiset is now public."), { timeout: 15_000 });
    expect(wrapper.text()).not.toContain("being unembargoed");
    // Owner panels: validation for the draft; no incomplete uploads, so that panel stays hidden.
    expect(wrapper.text()).toContain("No validation errors.");
    expect(wrapper.text()).not.toContain("Incomplete uploads");
    expect(fake.requests.some((r) => r.path === "/api/dandisets/000042/uploads/")).toBe(true);
    expect(fake.requests.some((r) => r.method === "POST")).toBe(false);
    wrapper.unmount();
  }, 30_000);

  it("shows a visitor no owner panels", async () => {
    const wrapper = await mountAs("someone");
    await vi.waitFor(() => expect(wrapper.find("h1").exists()).toBe(true), { timeout: 5000 });
    expect(wrapper.find("h1").text()).toBe("Pilot data");
    expect(wrapper.text()).not.toContain("Validation");
    expect(wrapper.text()).not.toContain("Manage owners");
    expect(wrapper.findAll("button").map((b) => b.text())).not.toContain("Publish");
    wrapper.unmount();
  });
});
