// Serves the web console (console/, bundled by scripts/build-console.mjs into
// dist/console) under /console/ on the API's port. Only the files the build
// wrote are served: their names are read once, at start, and a request path
// is looked up among them, never joined onto the file system, so no path can
// climb out of the folder. Bundles carry a content hash in their names and
// are cached for a year; index.html is revalidated on every load, so a new
// build shows up on the next reload.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";

export const CONSOLE_PATH = "/console/";

/** Answers GET and HEAD under /console; false when the path is not the console's. */
export type ConsoleFiles = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, path: string) => boolean;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

// The console needs nothing from another origin; a page injected into it could not call out either.
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

interface File {
  body: Buffer;
  type: string;
  cache: string;
}

/** The built console beside the server: dist/console, found from src/edge/ or from dist/ (the bundle). */
export function findConsoleDir(from = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from, i = 0; i < 3; i++, dir = dirname(dir)) {
    const candidate = join(dir, "dist", "console");
    if (existsSync(join(candidate, "index.html"))) return candidate;
  }
  return null;
}

/** Loads the files of `dir` (one level, as the build writes them); with no dir, /console says how to build it. */
export function createConsoleFiles(dir: string | null): ConsoleFiles {
  const files = new Map<string, File>();
  if (dir !== null && existsSync(dir)) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const type = CONTENT_TYPES[extname(entry.name)];
      if (!entry.isFile() || type === undefined) continue;
      const hashed = /-[A-Z0-9]{8}\.\w+$/.test(entry.name);
      const cache = hashed ? "public, max-age=31536000, immutable" : "no-cache";
      files.set(entry.name, { body: readFileSync(join(dir, entry.name)), type, cache });
    }
  }
  return (req, res, path) => {
    if (path !== "/console" && !path.startsWith(CONSOLE_PATH)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, plain("use GET"), { allow: "GET, HEAD" });
    if (path === "/console") return answer(res, 308, plain(`see ${CONSOLE_PATH}`), { location: CONSOLE_PATH });
    const name = path.slice(CONSOLE_PATH.length) || "index.html";
    const file = files.get(name);
    if (file === undefined) {
      const why = files.size === 0 ? "the console is not built: run npm run build" : `no such file: ${name}`;
      return answer(res, 404, plain(why));
    }
    return answer(res, 200, file, {}, req.method === "HEAD");
  };
}

function plain(text: string): File {
  return { body: Buffer.from(text + "\n"), type: "text/plain; charset=utf-8", cache: "no-store" };
}

function answer(res: ServerResponse | Http2ServerResponse, status: number, file: File, extra: Record<string, string> = {}, head = false): true {
  res.statusCode = status;
  res.setHeader("content-type", file.type);
  res.setHeader("content-length", String(file.body.length));
  res.setHeader("cache-control", file.cache);
  for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...extra })) res.setHeader(k, v);
  if (head) res.end();
  else res.end(file.body);
  return true;
}
