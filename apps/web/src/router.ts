import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { useAuthStore } from "./stores/auth";

/** Every view is its own chunk (route-level code splitting keeps the first page small). */
const routes: RouteRecordRaw[] = [
  { path: "/", name: "home", component: () => import("./views/HomeView.vue") },
  {
    path: "/dandiset",
    name: "dandisets",
    component: () => import("./views/DandisetListView.vue"),
    props: { mode: "public" },
  },
  {
    path: "/dandiset/my",
    name: "my-dandisets",
    component: () => import("./views/DandisetListView.vue"),
    props: { mode: "mine" },
    meta: { requiresAuth: true },
  },
  {
    path: "/dandiset/starred",
    name: "starred-dandisets",
    component: () => import("./views/DandisetListView.vue"),
    props: { mode: "starred" },
    meta: { requiresAuth: true },
  },
  // DANDI's search page URL: the public list with that search, empty dandisets included.
  { path: "/dandiset/search", redirect: (to) => ({ path: "/dandiset", query: { empty: "true", ...to.query } }) },
  {
    path: "/dandiset/create",
    name: "create-dandiset",
    component: () => import("./views/CreateDandisetView.vue"),
    meta: { requiresAuth: true },
  },
  {
    path: "/dandiset/:identifier(\\d{6})/:version(draft|0\\.\\d{6}\\.\\d{4})/files",
    name: "files",
    component: () => import("./views/FileBrowserView.vue"),
    props: true,
  },
  {
    path: "/dandiset/:identifier(\\d{6})/:version(draft|0\\.\\d{6}\\.\\d{4})/metadata",
    name: "metadata",
    component: () => import("./views/MetadataEditorView.vue"),
    props: true,
  },
  {
    path: "/dandiset/:identifier(\\d{6})/:version(draft|0\\.\\d{6}\\.\\d{4})?",
    name: "dandiset",
    component: () => import("./views/DandisetLandingView.vue"),
    props: true,
  },
  { path: "/search", name: "search", component: () => import("./views/SearchView.vue") },
  { path: "/signin", name: "signin", component: () => import("./views/SignInView.vue") },
  {
    path: "/questionnaire",
    name: "questionnaire",
    component: () => import("./views/QuestionnaireView.vue"),
    meta: { requiresAuth: true },
  },
  {
    path: "/account",
    name: "account",
    component: () => import("./views/AccountView.vue"),
    meta: { requiresAuth: true },
  },
  {
    path: "/admin",
    name: "admin",
    component: () => import("./views/AdminView.vue"),
    meta: { requiresAuth: true, requiresAdmin: true },
  },
  {
    path: "/admin/users/:username",
    name: "admin-user",
    component: () => import("./views/AdminUserView.vue"),
    meta: { requiresAuth: true, requiresAdmin: true },
  },
  { path: "/:pathMatch(.*)*", name: "not-found", component: () => import("./views/NotFoundView.vue") },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

router.beforeEach(async (to) => {
  // DANDI's old hash URLs (/#/dandiset/000123) still circulate.
  if (to.hash.startsWith("#/")) return to.hash.slice(1);
  if (!to.meta.requiresAuth) return true;
  const auth = useAuthStore();
  await auth.ensureLoaded();
  if (!auth.user) return { name: "signin", query: { next: to.fullPath } };
  if (to.meta.requiresAdmin && !auth.isAdmin) return { name: "home" };
  return true;
});
