import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

/** The GitHub account the fake signs in as. */
export interface FakeGithubUser {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface FakeGithub {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** The GITHUB_* settings that point the API at this server. */
  env: Record<string, string>;
  /** Who the next authorization signs in as. */
  setUser(user: FakeGithubUser): void;
  /** Every request the fake received, as "METHOD path". */
  requests: string[];
  close(): Promise<void>;
}

const CLIENT_ID = "fake-client-id";
const CLIENT_SECRET = "fake-client-secret";

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString("utf8")));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/**
 * A small local server speaking GitHub's OAuth web flow for tests:
 * GET /login/oauth/authorize (redirects back with code + state, as if the user
 * clicked "Authorize"), POST /login/oauth/access_token (checks client id,
 * secret and code), GET /user and GET /user/emails (check the bearer token).
 */
export async function startFakeGithub(initial: FakeGithubUser): Promise<FakeGithub> {
  let current = initial;
  const codes = new Map<string, FakeGithubUser>();
  const tokens = new Map<string, FakeGithubUser>();
  const requests: string[] = [];

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      requests.push(`${req.method} ${url.pathname}`);
      if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
        const redirect = url.searchParams.get("redirect_uri");
        if (url.searchParams.get("client_id") !== CLIENT_ID || !redirect)
          return json(res, 400, { error: "bad_request" });
        const code = randomBytes(10).toString("hex");
        codes.set(code, current);
        const back = new URL(redirect);
        back.searchParams.set("code", code);
        const state = url.searchParams.get("state");
        if (state) back.searchParams.set("state", state);
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
        const form = new URLSearchParams(await readBody(req));
        const user = codes.get(form.get("code") ?? "");
        if (form.get("client_id") !== CLIENT_ID || form.get("client_secret") !== CLIENT_SECRET || !user) {
          return json(res, 200, { error: "bad_verification_code" });
        }
        codes.delete(form.get("code")!);
        const token = `gho_${randomBytes(16).toString("hex")}`;
        tokens.set(token, user);
        return json(res, 200, { access_token: token, token_type: "bearer", scope: "user:email" });
      }
      const auth = /^(?:bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      const user = auth ? tokens.get(auth[1]!) : undefined;
      if (req.method === "GET" && (url.pathname === "/user" || url.pathname === "/user/emails")) {
        if (!user) return json(res, 401, { message: "Bad credentials" });
        if (url.pathname === "/user") {
          const primary = user.emails.find((e) => e.primary)?.email ?? null;
          return json(res, 200, { id: user.id, login: user.login, name: user.name, email: primary });
        }
        return json(res, 200, user.emails);
      }
      json(res, 404, { message: "Not Found" });
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: {
      GITHUB_CLIENT_ID: CLIENT_ID,
      GITHUB_CLIENT_SECRET: CLIENT_SECRET,
      GITHUB_AUTHORIZATION_URL: `${url}/login/oauth/authorize`,
      GITHUB_TOKEN_URL: `${url}/login/oauth/access_token`,
      GITHUB_USER_PROFILE_URL: `${url}/user`,
      GITHUB_USER_EMAILS_URL: `${url}/user/emails`,
    },
    setUser(user) {
      current = user;
    },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
