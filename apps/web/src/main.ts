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
