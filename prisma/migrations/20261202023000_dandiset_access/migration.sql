-- Read-only access to dandisets that are not open: viewers, e-mailed invitations, secret
-- review links and access requests (issue 13).
CREATE TABLE "dandiset_viewers" (
    "dandiset_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "granted_by_id" INTEGER,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "dandiset_viewers_pkey" PRIMARY KEY ("dandiset_id","user_id")
);
CREATE INDEX "dandiset_viewers_user_id_idx" ON "dandiset_viewers"("user_id");
ALTER TABLE "dandiset_viewers" ADD CONSTRAINT "dandiset_viewers_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dandiset_viewers" ADD CONSTRAINT "dandiset_viewers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "viewer_invitations" (
    "id" SERIAL NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "invited_by_id" INTEGER,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "viewer_invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "viewer_invitations_dandiset_id_email_key" ON "viewer_invitations"("dandiset_id", "email");
CREATE INDEX "viewer_invitations_email_idx" ON "viewer_invitations"("email");
ALTER TABLE "viewer_invitations" ADD CONSTRAINT "viewer_invitations_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "review_links" (
    "id" SERIAL NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "token_prefix" VARCHAR(8) NOT NULL,
    "label" VARCHAR(200) NOT NULL DEFAULT '',
    "created_by_id" INTEGER,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "expires" TIMESTAMPTZ(6) NOT NULL,
    "revoked" TIMESTAMPTZ(6),
    CONSTRAINT "review_links_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "review_links_token_hash_key" ON "review_links"("token_hash");
CREATE INDEX "review_links_dandiset_id_created_idx" ON "review_links"("dandiset_id", "created");
ALTER TABLE "review_links" ADD CONSTRAINT "review_links_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "access_requests" (
    "id" SERIAL NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "message" VARCHAR(2000) NOT NULL DEFAULT '',
    "status" VARCHAR(16) NOT NULL DEFAULT 'PENDING',
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "decided" TIMESTAMPTZ(6),
    "decided_by_id" INTEGER,
    CONSTRAINT "access_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "access_requests_status_check" CHECK ("status" IN ('PENDING', 'APPROVED', 'DECLINED'))
);
CREATE INDEX "access_requests_dandiset_id_status_created_idx" ON "access_requests"("dandiset_id", "status", "created");
CREATE INDEX "access_requests_user_id_idx" ON "access_requests"("user_id");
-- One pending request per user and dandiset.
CREATE UNIQUE INDEX "access_requests_one_pending" ON "access_requests"("dandiset_id", "user_id") WHERE "status" = 'PENDING';
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
