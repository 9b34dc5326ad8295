// Structured logs: one JSON object per line on stderr. Callers pass fields,
// never request bodies or headers, so secrets cannot reach the log by accident.
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel = "info", write: (line: string) => void = (l) => process.stderr.write(l + "\n")): Logger {
  const at = (lvl: Exclude<LogLevel, "silent">) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    write(oneLine(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * JSON.stringify escapes C0 controls but leaves U+0085 (NEL), U+2028 and
 * U+2029 as they are: valid JSON, yet line breaks to many readers of a log
 * (Python's splitlines, some terminals and viewers). Escaped, text that
 * reaches a log line cannot start another one.
 */
function oneLine(json: string): string {
  return json.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * What is logged of an unexpected error: its class, its message (cut short)
 * and where it was thrown, the stack's frames, so its origin can be found.
 * Only the log gets this, never a client. Frames name functions and files;
 * bound SQL parameters and request values never appear in them.
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: typeof err };
  const frames = (err.stack ?? "").split("\n").filter((l) => l.startsWith("    at ")).slice(0, 15);
  return { error: err.name, cause: err.message.slice(0, 300), stack: frames.map((l) => l.trim()).join("\n") };
}
