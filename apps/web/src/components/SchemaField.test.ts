import { describe, expect, it } from "vitest";
import { mount } from "@vue/test-utils";
import { defineComponent, h, ref } from "vue";
import SchemaField from "./SchemaField.vue";
import { DANDISET_SCHEMA as root } from "../test/dandiset-schema.fixture";

/** Mounts the field tree with a v-model, as the metadata editor does. */
function mountEditor(initial: Record<string, unknown>, readonly = false) {
  const model = ref<unknown>(initial);
  const wrapper = mount(
    defineComponent({
      setup: () => () =>
        h(SchemaField, {
          schema: root,
          root,
          path: "",
          readonly,
          errors: { "/name": ["is required"] },
          modelValue: model.value,
          "onUpdate:modelValue": (v: unknown) => (model.value = v),
        }),
    }),
  );
  return { wrapper, model };
}

describe("SchemaField", () => {
  it("renders editable fields from the schema, hiding read-only and const ones", () => {
    const { wrapper } = mountEditor({ name: "Title", contributor: [] });
    const labels = wrapper.findAll("label").map((l) => l.text());
    expect(labels).toContain("Dandiset title");
    expect(labels).toContain("Description");
    expect(labels).not.toContain("ID");
    expect(labels).not.toContain("Schema Key");
    expect((wrapper.find("#field_name").element as HTMLInputElement).value).toBe("Title");
    expect(wrapper.text()).toContain("Dandiset title is required");
  });

  it("writes edits back through v-model", async () => {
    const { wrapper, model } = mountEditor({ name: "Old" });
    await wrapper.find("#field_name").setValue("New title");
    expect(model.value).toMatchObject({ name: "New title" });
  });

  it("adds array items with the schema's defaults and switches oneOf variants", async () => {
    const { wrapper, model } = mountEditor({ name: "T", contributor: [] });
    const add = wrapper.findAll("button").find((b) => b.text() === "Add Dandiset contributors")!;
    await add.trigger("click");
    expect(model.value).toMatchObject({ contributor: [{ schemaKey: "Person", name: "" }] });
    await wrapper.find("#field_contributor_0-variant").setValue("1");
    expect((model.value as { contributor: unknown[] }).contributor[0]).toEqual({ schemaKey: "Organization", name: "" });
  });

  it("offers enum values as a select", () => {
    const { wrapper } = mountEditor({ license: ["spdx:CC0-1.0"] });
    const options = wrapper
      .find("#field_license_0")
      .findAll("option")
      .map((o) => o.text());
    expect(options).toEqual(["—", "spdx:CC-BY-4.0", "spdx:CC0-1.0"]);
  });

  it("is read-only when asked", () => {
    const { wrapper } = mountEditor({ name: "T", contributor: [] }, true);
    expect(wrapper.find("#field_name").attributes("readonly")).toBeDefined();
    expect(wrapper.findAll("button").length).toBe(0);
  });
});
