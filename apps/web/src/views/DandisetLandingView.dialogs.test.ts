import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pageOf, startFakeApi, type TFakeApi } from "../test/fake-api";

/**
 * The landing page's Contact and External services dialogs against a local
 * server shaped like the archive: 000051 is a public-archive dandiset with two
 * contact persons (one without an e-mail) and an owner with an e-mail; 000052
 * lives on another instance (its metadata.url is not dandiarchive.org) and
 * names no contact person.
 */
let fake: TFakeApi;

const contributor = [
  { name: "Doe, Jane", email: "jane@example.org", roleName: ["dcite:ContactPerson", "dcite:Author"] },
  { name: "Roe, Rick", roleName: ["dcite:ContactPerson"] },
  { name: "Poe, Pat", email: "pat@example.org", roleName: ["dcite:Author"] },
];
const metadataOf = (id: string) =>
  id === "000051"
    ? { name: "Public data", url: "https://dandiarchive.org/dandiset/000051/draft", contributor }
    : { name: "Local data", url: "http://localhost:8085/dandiset/000052/draft", contributor: [contributor[2]] };

beforeAll(async () => {
  fake = await startFakeApi(({ path }) => {
    if (path === "/api/info/") return { body: { version: "0.1.0", schema_version: "0.6.9", services: { api: {} } } };
    const m = /^\/api\/dandisets\/(\d{6})\/(.*)$/.exec(path);
    if (!m) return undefined;
    const [, id, rest] = m;
    const version = { version: "draft", name: metadataOf(id!).name, asset_count: 0, size: 0, status: "Valid" };
    if (rest === "")
      return {
        body: {
          identifier: id,
          created: "2024-01-01T00:00:00Z",
          modified: "2024-01-01T00:00:00Z",
          contact_person: "Doe, Jane",
          embargo_status: "OPEN",
          most_recent_published_version: null,
          draft_version: version,
        },
      };
    if (rest === "versions/") return { body: pageOf([version]) };
    if (rest === "users/") return { body: [{ username: "olive", name: "Olive Owner", email: "olive@example.org" }] };
    if (rest === "versions/draft/info/") {
      return {
        body: {
          ...version,
          release_notes: "",
          metadata: metadataOf(id!),
          version_validation_errors: [],
          asset_validation_errors: [],
        },
      };
    }
    return undefined;
  });
});
afterAll(() => fake.close());

async function mountAt(id: string, username: string | null) {
  const { default: DandisetLandingView } = await import("./DandisetLandingView.vue");
  // Imported once the fake API is up: the client reads its URL when first loaded.
  const { mountView } = await import("../test/mount-view");
  const { wrapper } = await mountView(
    DandisetLandingView,
    "/dandiset/:identifier/:version?",
    `/dandiset/${id}/draft`,
    username,
  );
  await vi.waitFor(() => expect(wrapper.find("h1").exists()).toBe(true), { timeout: 5000 });
  return wrapper;
}
const button = (wrapper: Awaited<ReturnType<typeof mountAt>>, text: string) =>
  wrapper.findAll("button").find((b) => b.text() === text)!;
/** The open dialog (the last one: jsdom keeps closed ones of earlier tests in the body). */
const dialog = () => [...document.body.querySelectorAll<HTMLElement>("[role=dialog]")].at(-1) ?? null;
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5000 });

describe("Contact dialog", () => {
  it("lists the contact persons with mailto links for those with an e-mail", async () => {
    const wrapper = await mountAt("000051", null);
    await button(wrapper, "Contact").trigger("click");
    await waitFor(() => expect(dialog()?.textContent).toContain("Contact persons"));
    const items = [...dialog()!.querySelectorAll("[data-testid=contact-persons] li")];
    // Only contributors with the ContactPerson role, in order; the author is not one.
    expect(items.map((li) => li.textContent?.trim())).toEqual(["Doe, Jane", "Roe, Rick (no e-mail given)"]);
    const link = items[0]!.querySelector("a")!;
    expect(link.getAttribute("href")).toBe(
      `mailto:jane@example.org?subject=${encodeURIComponent('Regarding Dandiset 000051 ("Public data")')}`,
    );
    expect(items[1]!.querySelector("a")).toBeNull();
    // Owners' e-mails are for signed-in users only.
    expect(dialog()!.textContent).toContain("Sign in to contact the owners.");
    // Keyboard: the dialog has a real close button (Escape is bound by PrimeVue in a transition
    // hook that test-utils' stubbed transitions never run). Checked on the v-model: the stubbed
    // leave transition never removes the element.
    const contact = wrapper.findComponent({ name: "ContactDialog" });
    expect(contact.props("visible")).toBe(true);
    dialog()!.querySelector<HTMLButtonElement>("button[aria-label=Close]")!.click();
    await waitFor(() => expect(contact.props("visible")).toBe(false));
    wrapper.unmount();
  }, 20_000);

  it("gives a signed-in user the owners' e-mail", async () => {
    const wrapper = await mountAt("000051", "someone");
    await button(wrapper, "Contact").trigger("click");
    await waitFor(() => expect(dialog()?.querySelector("[data-testid=owners-mail]")).not.toBeNull());
    expect(dialog()!.querySelector("[data-testid=owners-mail]")!.getAttribute("href")).toMatch(
      /^mailto:olive@example\.org\?subject=/,
    );
    wrapper.unmount();
  }, 20_000);

  it("is disabled with a reason when nobody can be contacted", async () => {
    const wrapper = await mountAt("000052", null);
    expect(button(wrapper, "Contact").attributes("disabled")).toBeDefined();
    expect(wrapper.text()).toContain("No contact person is given for this dandiset.");
    wrapper.unmount();
  }, 20_000);
});

describe("External services dialog", () => {
  it("links a public-archive dandiset to Neurosift", async () => {
    const wrapper = await mountAt("000051", null);
    await button(wrapper, "External services").trigger("click");
    await waitFor(() => expect(dialog()?.querySelector("a")).not.toBeNull());
    const link = dialog()!.querySelector("a")!;
    expect(link.textContent?.trim()).toBe("Neurosift");
    expect(link.getAttribute("href")).toBe("https://neurosift.app/dandiset/000051?dandisetVersion=draft");
    expect(link.getAttribute("target")).toBe("_blank");
    wrapper.unmount();
  }, 20_000);

  it("disables Neurosift with the reason on an instance it cannot read", async () => {
    const wrapper = await mountAt("000052", null);
    await button(wrapper, "External services").trigger("click");
    await waitFor(() => expect(dialog()?.textContent).toContain("Neurosift"));
    expect(dialog()!.querySelector("a")).toBeNull();
    expect(dialog()!.textContent).toContain("Neurosift only reads dandisets from dandiarchive.org and its sandbox.");
    wrapper.unmount();
  }, 20_000);

  it("asks Neurosift for the staging archive for a sandbox dandiset and refuses embargoed ones", async () => {
    // Imported once the fake API is up: the client reads its URL when first loaded.
    const { dandisetServices } = await import("../utils/external-services");
    const base = { dandisetId: "000053", version: "0.240101.0000", embargoed: false };
    const [sandbox] = dandisetServices({ ...base, metadataUrl: "https://sandbox.dandiarchive.org/dandiset/000053" });
    expect(sandbox).toEqual({
      name: "Neurosift",
      url: "https://neurosift.app/dandiset/000053?dandisetVersion=0.240101.0000&staging=1",
      disabledReason: null,
    });
    const [embargoed] = dandisetServices({
      ...base,
      embargoed: true,
      metadataUrl: "https://dandiarchive.org/dandiset/000053",
    });
    expect(embargoed!.disabledReason).toBe("Not available for embargoed dandisets.");
  });
});
