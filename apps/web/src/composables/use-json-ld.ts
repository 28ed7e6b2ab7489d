import { onBeforeUnmount, watch, type Ref } from "vue";

/** Keeps one `<script type="application/ld+json">` in the document head in sync with `data`. */
export function useJsonLd(data: Ref<Record<string, unknown> | null>): void {
  let element: HTMLScriptElement | null = null;
  watch(
    data,
    (value) => {
      if (!value) {
        element?.remove();
        element = null;
        return;
      }
      if (!element) {
        element = document.createElement("script");
        element.type = "application/ld+json";
        element.dataset.dandi = "landing";
        document.head.appendChild(element);
      }
      element.textContent = JSON.stringify(value);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => element?.remove());
}
