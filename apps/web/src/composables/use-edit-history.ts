import { computed, ref, watch, type Ref } from "vue";

/** Edits closer together than this (typing a word) are one undo step. */
const COALESCE_MS = 700;
const MAX_STEPS = 200;

/**
 * Undo/redo over a JSON-like value edited in place (the metadata editor's form).
 * Every change of `source` becomes a step (quick successive edits merge into
 * one); `undo`/`redo` write the earlier or later state back into `source`;
 * `reset` starts a new history at the current value (after load or save).
 */
export function useEditHistory<T>(source: Ref<T>, now: () => number = Date.now) {
  const steps = ref<string[]>([JSON.stringify(source.value)]);
  const index = ref(0);
  let lastEdit = 0;

  watch(
    source,
    (value) => {
      const text = JSON.stringify(value);
      if (text === steps.value[index.value]) return; // an undo/redo we applied, or no real change
      const time = now();
      const merge = index.value > 0 && index.value === steps.value.length - 1 && time - lastEdit < COALESCE_MS;
      steps.value = steps.value.slice(0, merge ? index.value : index.value + 1);
      steps.value.push(text);
      if (steps.value.length > MAX_STEPS) steps.value.shift();
      index.value = steps.value.length - 1;
      lastEdit = time;
    },
    { deep: true, flush: "sync" },
  );

  function apply(to: number): void {
    index.value = to;
    lastEdit = 0;
    source.value = JSON.parse(steps.value[to]!) as T;
  }

  return {
    canUndo: computed(() => index.value > 0),
    canRedo: computed(() => index.value < steps.value.length - 1),
    undo: () => index.value > 0 && apply(index.value - 1),
    redo: () => index.value < steps.value.length - 1 && apply(index.value + 1),
    reset: () => {
      steps.value = [JSON.stringify(source.value)];
      index.value = 0;
      lastEdit = 0;
    },
  };
}
