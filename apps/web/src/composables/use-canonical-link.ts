import { onBeforeUnmount, watch, type Ref } from "vue";

/** Keeps one `<link rel="canonical">` in the document head pointing at `url` (none while null). */
export function useCanonicalLink(url: Ref<string | null>): void {
  let element: HTMLLinkElement | null = null;
  watch(
    url,
    (href) => {
      if (!href) {
        element?.remove();
        element = null;
        return;
      }
      if (!element) {
        element = document.createElement("link");
        element.rel = "canonical";
        element.dataset.dandi = "landing";
        document.head.appendChild(element);
      }
      element.href = href;
    },
    { immediate: true },
  );
  onBeforeUnmount(() => element?.remove());
}
