import { createApp } from "vue";
import { createPinia } from "pinia";
import PrimeVue from "primevue/config";
import Aura from "@primeuix/themes/aura";
import App from "./App.vue";
import { router } from "./router";
import "./styles.css";

const app = createApp(App);
app.use(createPinia());
app.use(router);
// PrimeVue components are imported where used, so each route chunk carries only its own widgets.
app.use(PrimeVue, { theme: { preset: Aura, options: { darkModeSelector: false } } });
app.mount("#app");

// Sentry only when the build has a DSN: the dynamic import is dropped from a build without one,
// and otherwise loads after the first route. Vue errors before it arrives are kept for it.
const sentryDsn = import.meta.env.VITE_SENTRY_DSN;
if (sentryDsn) {
  const early: unknown[] = [];
  app.config.errorHandler = (err) => {
    early.push(err);
    console.error(err);
  };
  void import("./sentry").then((m) => m.initSentry(app, router, sentryDsn, early));
}
