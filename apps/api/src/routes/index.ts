import { Router } from "express";
import swaggerUi from "swagger-ui-express";
import { buildOpenApiDocument } from "../openapi";
import { infoRouter } from "./info/info.router";
import { publishRouter } from "./publish/publish.router";
import { jobsAdminRouter } from "./publish/jobs-admin.router";
import { dandisetsRouter } from "./dandisets/dandisets.router";
import { versionsRouter } from "./versions/versions.router";
import { presentInfo } from "./info/info.presenter";
import { localStorageRouter } from "./local-storage/local-storage.router";
import { uploadsRouter } from "./uploads/uploads.router";
import { blobsRouter } from "./blobs/blobs.router";
import { usersRouter } from "./users/users.router";
import { authTokenRouter } from "./auth-token/auth-token.router";
import { statsRouter } from "./stats/stats.router";
import { versionAssetsRouter } from "./assets/version-assets.router";
import { assetPathsRouter } from "./asset-paths/asset-paths.router";
import { assetsRouter } from "./assets/assets.router";
import { authRouter } from "./auth/auth.router";
import { questionnaireRouter } from "./questionnaire/questionnaire.router";
import { questionnaireFormRouter } from "./questionnaire/questionnaire-form.router";
import { adminRouter } from "./admin/admin.router";
import { auditEventsRouter } from "./admin/audit-events.router";
import { unembargoRouter } from "./unembargo/unembargo.router";
import { searchRouter } from "./search/search.router";
import { webdavRouter } from "./webdav/webdav.router";
import { methodNotAllowed } from "../middleware/method-not-allowed";
import { zarrRouter } from "./zarr/zarr.router";
import { landingRouter } from "./landing/landing.router";
import { oaiRouter } from "./oai/oai.router";
import { accessRouter } from "./access/access.router";

/** Slash-less /api paths that exist as such (no APPEND_SLASH redirect). */
export const EXACT_API_PATHS = new Set<string>(["/openapi.json", "/audit/events/asset", "/sitemap.xml"]);

/** /api paths that unapproved users may POST to (sign-in, questionnaire). */
export const WRITE_EXEMPT_PATHS: RegExp[] = [
  // DANDI opens the blob lookup to everyone (it only reads).
  /^\/blobs\/digest\/$/,
  // Sign-in, sign-out and the questionnaire are for users who are not approved yet.
  /^\/auth\/login\/$/,
  /^\/auth\/logout\/$/,
  /^\/users\/questionnaire\/$/,
  /^\/users\/questionnaire-form\/$/,
  // OAI-PMH harvesters may send their (read-only) requests as POSTed forms.
  /^\/oai\/$/,
];

/** Everything under /api. Each resource folder contributes one router. */
export function apiRouter(): Router {
  const router = Router();
  router.use(infoRouter());
  router.use(uploadsRouter());
  router.use(blobsRouter());
  router.use(publishRouter());
  router.use(jobsAdminRouter());
  // Before the dandisets router: /dandisets/search/ is not a dandiset id.
  router.use(searchRouter());
  router.use(dandisetsRouter());
  router.use(versionsRouter());
  router.use(usersRouter());
  router.use(authTokenRouter());
  router.use(statsRouter());
  // Before the version assets router: .../assets/paths/move/ etc. are not asset ids.
  router.use(assetPathsRouter());
  router.use(versionAssetsRouter());
  router.use(assetsRouter());
  router.use(authRouter());
  router.use(questionnaireRouter());
  router.use(questionnaireFormRouter());
  router.use(adminRouter());
  router.use(auditEventsRouter());
  router.use(unembargoRouter());
  router.use(webdavRouter());
  router.use(zarrRouter());
  router.use(landingRouter());
  router.use(oaiRouter());
  router.use(accessRouter());
  router.get("/openapi.json", (req, res) => {
    res.json(buildOpenApiDocument(req.deps.config.DANDI_API_URL, req.deps.version));
  });
  // Last: a known path asked with a method it lacks is a 405, as DRF.
  router.use(methodNotAllowed(router));
  return router;
}

const ROBOTS = `User-agent: Googlebot
Allow: /api/dandisets/search
Allow: /api/dandisets/*/$
Allow: /api/dandisets/?
Allow: /api/info/
Allow: /api/dandisets/*/versions/*/landing/
Allow: /api/sitemap.xml
Allow: /api/dandisets/*/versions/*/assets*page_size=1
Disallow: /

User-agent: *
Allow: /api/dandisets/*/versions/*/landing/
Allow: /api/sitemap.xml
Allow: /api/oai/
Disallow: /
`;

/** Routes outside /api: landing page, robots.txt, /server-info, Swagger UI. */
export function rootRouter(): Router {
  const router = Router();
  router.get("/", (req, res) => {
    const web = req.deps.config.DANDI_WEB_APP_URL;
    res
      .type("html")
      .send(
        `<!doctype html><html><head><meta charset="utf-8"><title>DANDI Archive API</title></head>` +
          `<body><h1>DANDI Archive API</h1><p>This is the archive's API server. ` +
          `Browse the archive at <a href="${web}">${web}</a>; the API is documented at <a href="/swagger/">/swagger/</a>.</p></body></html>`,
      );
  });
  router.use("/storage", localStorageRouter());
  router.get("/robots.txt", (req, res) => {
    res.type("text/plain").send(`${ROBOTS}\nSitemap: ${req.deps.config.DANDI_API_URL}/api/sitemap.xml\n`);
  });
  router.get("/server-info", (req, res) => {
    res.json(presentInfo(req.deps));
  });
  router.get("/swagger", (_req, res) => res.redirect(301, "/swagger/"));
  router.use(
    "/swagger/",
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: "/api/openapi.json" } }),
  );
  return router;
}
