import { beforeEach, describe, expect, it } from "vitest";
import { nextTick, ref } from "vue";
import { useAutosave } from "./use-autosave";
import { useEditHistory } from "./use-edit-history";

describe("useEditHistory", () => {
  it("undoes and redoes edits, merging quick successive ones into one step", async () => {
    let clock = 0;
    const value = ref<Record<string, unknown>>({ name: "A" });
    const h = useEditHistory(value, () => clock);
    expect(h.canUndo.value).toBe(false);

    clock = 1000;
    value.value = { name: "AB" };
    clock = 1200; // typing on: same step
    value.value = { name: "ABC" };
    clock = 5000;
    value.value = { name: "ABC", keywords: ["x"] };
    expect(h.canUndo.value).toBe(true);

    h.undo();
    await nextTick();
    expect(value.value).toEqual({ name: "ABC" });
    h.undo();
    expect(value.value).toEqual({ name: "A" });
    expect(h.canUndo.value).toBe(false);
    h.redo();
    expect(value.value).toEqual({ name: "ABC" });
    expect(h.canRedo.value).toBe(true);

    // A new edit after an undo drops the redo branch.
    clock = 9000;
    value.value = { name: "Z" };
    expect(h.canRedo.value).toBe(false);
    h.undo();
    expect(value.value).toEqual({ name: "ABC" });
  });

  it("records edits made inside the object (v-model on nested fields)", () => {
    let clock = 0;
    const value = ref<{ keywords: string[] }>({ keywords: [] });
    const h = useEditHistory(value, () => (clock += 1000));
    value.value.keywords.push("mouse");
    value.value.keywords.push("V1");
    h.undo();
    expect(value.value).toEqual({ keywords: ["mouse"] });
    h.reset();
    expect(h.canUndo.value).toBe(false);
    expect(h.canRedo.value).toBe(false);
  });
});

describe("useAutosave", () => {
  beforeEach(() => localStorage.clear());

  it("keeps edits made on top of the saved version until saved or discarded", () => {
    const saved = JSON.stringify({ name: "A" });
    const first = useAutosave("000123");
    first.store(saved, JSON.stringify({ name: "B" }), new Date("2024-05-01T10:00:00Z"));

    // A later visit (another instance) finds them while the server still has the same version.
    const later = useAutosave("000123");
    expect(later.find(saved)).toEqual({ edited: '{"name":"B"}', savedAt: "2024-05-01T10:00:00.000Z" });
    expect(useAutosave("000999").find(saved)).toBeNull();

    // Edits on top of an older version are stale: dropped.
    expect(later.find(JSON.stringify({ name: "changed on the server" }))).toBeNull();
    expect(later.find(saved)).toBeNull();

    first.store(saved, JSON.stringify({ name: "C" }));
    first.clear();
    expect(later.find(saved)).toBeNull();
  });

  it("ignores an unreadable entry", () => {
    localStorage.setItem("dandi:unsaved-metadata:000123", "{not json");
    expect(useAutosave("000123").find("{}")).toBeNull();
    expect(localStorage.getItem("dandi:unsaved-metadata:000123")).toBeNull();
  });
});
