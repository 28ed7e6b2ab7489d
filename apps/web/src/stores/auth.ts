import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { ApiRequestError, onUnauthorized } from "../api/client";
import * as api from "../api/dandi";
import type { TProviders, TUser } from "../api/types";

/** The signed-in user (from the session cookie), the sign-in methods, and account actions. */
export const useAuthStore = defineStore("auth", () => {
  const user = ref<TUser | null>(null);
  const providers = ref<TProviders | null>(null);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);

  const isSignedIn = computed(() => user.value !== null);
  const isApproved = computed(() => user.value?.status === "APPROVED" || user.value?.admin === true);
  const isAdmin = computed(() => user.value?.admin === true);

  onUnauthorized(() => {
    user.value = null;
  });

  /** Loads `/api/users/me/`; an anonymous visitor simply has no user. */
  async function fetchMe(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      user.value = await api.getMe();
    } catch (err) {
      user.value = null;
      if (!(err instanceof ApiRequestError) || (err.status !== 401 && err.status !== 403)) {
        error.value = (err as Error).message;
      }
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  /** Asks the API which sign-in methods exist; without the endpoint, GitHub is assumed. */
  async function fetchProviders(): Promise<void> {
    try {
      providers.value = await api.getProviders();
    } catch {
      providers.value = { github: true, password: false };
    }
  }

  async function signIn(email: string, password: string): Promise<boolean> {
    loading.value = true;
    error.value = null;
    try {
      await api.signInWithPassword(email, password);
      user.value = await api.getMe();
      return true;
    } catch (err) {
      error.value = (err as Error).message;
      return false;
    } finally {
      loading.value = false;
    }
  }

  async function signOut(): Promise<void> {
    try {
      await api.signOut();
    } finally {
      user.value = null;
    }
  }

  /** Waits for the first `fetchMe` (route guards call this before checking the user). */
  async function ensureLoaded(): Promise<void> {
    if (!loaded.value && !loading.value) await fetchMe();
    while (!loaded.value) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  return {
    user,
    providers,
    loaded,
    loading,
    error,
    isSignedIn,
    isApproved,
    isAdmin,
    fetchMe,
    fetchProviders,
    signIn,
    signOut,
    ensureLoaded,
  };
});
