/**
 * Read-only access to embargoed dandisets (viewers, invitations, review links, access
 * requests), through the one client in `client.ts`.
 */
import { request } from "./client";
import type { TPage } from "./types";

export interface TDandisetAccess {
  identifier: string;
  embargoed: boolean;
  can_read: boolean;
  role: "owner" | "admin" | "viewer" | "reviewer" | null;
  can_manage: boolean;
  can_request: boolean;
  request: { id: number; status: TAccessRequestStatus; created: string; decided: string | null } | null;
}
export type TAccessRequestStatus = "PENDING" | "APPROVED" | "DECLINED";
export interface TViewer {
  username: string;
  name: string;
  created: string;
  granted_by: string | null;
}
export interface TInvitation {
  id: number;
  email: string;
  created: string;
}
export interface TReviewLink {
  id: number;
  label: string;
  token_prefix: string;
  created: string;
  expires: string;
  revoked: string | null;
  active: boolean;
}
export interface TAccessRequest {
  id: number;
  username: string;
  name: string;
  message: string;
  status: TAccessRequestStatus;
  created: string;
  decided: string | null;
}

const base = (id: string) => `/dandisets/${id}/`;

export const getAccess = (id: string) => request<TDandisetAccess>(`${base(id)}access/`);
export const listViewers = (id: string) =>
  request<TPage<TViewer>>(`${base(id)}viewers/`, { query: { page_size: 1000 } });
export const addViewer = (id: string, who: { username: string } | { email: string }) =>
  request<{ kind: "viewer" | "invitation" }>(`${base(id)}viewers/`, { method: "POST", body: who });
export const removeViewer = (id: string, username: string) =>
  request<void>(`${base(id)}viewers/${encodeURIComponent(username)}/`, { method: "DELETE" });
export const listInvitations = (id: string) =>
  request<TPage<TInvitation>>(`${base(id)}viewer-invitations/`, { query: { page_size: 1000 } });
export const cancelInvitation = (id: string, invitationId: number) =>
  request<void>(`${base(id)}viewer-invitations/${invitationId}/`, { method: "DELETE" });
export const listReviewLinks = (id: string) =>
  request<TPage<TReviewLink>>(`${base(id)}review-links/`, { query: { page_size: 100 } });
export const createReviewLink = (id: string, days: number, label: string) =>
  request<TReviewLink & { url: string }>(`${base(id)}review-links/`, {
    method: "POST",
    body: { expires_in_days: days, label },
  });
export const revokeReviewLink = (id: string, linkId: number) =>
  request<void>(`${base(id)}review-links/${linkId}/`, { method: "DELETE" });
export const listAccessRequests = (id: string, status?: TAccessRequestStatus) =>
  request<TPage<TAccessRequest>>(`${base(id)}access-requests/`, { query: { status, page_size: 100 } });
export const requestAccess = (id: string, message: string) =>
  request<TAccessRequest>(`${base(id)}access-requests/`, { method: "POST", body: { message } });
export const decideAccessRequest = (id: string, requestId: number, decision: "approve" | "decline") =>
  request<TAccessRequest>(`${base(id)}access-requests/${requestId}/${decision}/`, { method: "POST" });
