// Structured logs through pino: one JSON object per line on stdout, the one
// stream the process writes to; pino-pretty's lines instead when stdout is a
// terminal. Callers pass fields, never request bodies or headers, so secrets
// cannot reach the log by accident.
import pino from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /**
   * Written at info whatever the level: what the person or script that
   * starts the process needs to see (the address, the token file).
   */
  announce(msg: string, fields?: Record<string, unknown>): void;
  /** Whether a level is written, so hot paths skip building fields nobody reads. */
  enabled(level: Exclude<LogLevel, "silent">): boolean;
}

/**
 * JSON lines with the level by name and pino's time, milliseconds since the
 * epoch: formatting an ISO date costs more than the rest of an access line
 * (bench/observer-cost.ts), and log shippers read either.
 */
const JSON_OPTIONS = {
  base: undefined,
  formatters: { level: (label: string) => ({ level: label }) },
  hooks: { streamWrite: (line: string) => oneLine(line) },
};

function wrap(p: pino.Logger): Logger {
  const loud = p.child({}, { level: "info" });
  const at = (log: pino.LogFn) => (msg: string, fields?: Record<string, unknown>) => (fields ? log(fields, msg) : log(msg));
  return {
    debug: at(p.debug.bind(p)),
    info: at(p.info.bind(p)),
    warn: at(p.warn.bind(p)),
    error: at(p.error.bind(p)),
    announce: at(loud.info.bind(loud)),
    enabled: (level) => p.isLevelEnabled(level),
  };
}

/**
 * JSON lines on stdout, or one line at a time to `write` (tests read them
 * back). Stdout is written asynchronously in batches; pino flushes what is
 * left when the process exits.
 */
export function createLogger(level: LogLevel = "info", write?: (line: string) => void): Logger {
  const dest = write ? { write: (line: string) => write(line.endsWith("\n") ? line.slice(0, -1) : line) } : pino.destination({ dest: 1, sync: false });
  return wrap(pino({ ...JSON_OPTIONS, level }, dest));
}

/** The process's logger: JSON lines on stdout, readable ones when stdout is a terminal. */
export async function createStdoutLogger(level: LogLevel): Promise<Logger> {
  if (!process.stdout.isTTY) return createLogger(level);
  // Loaded only for a terminal: a server under a supervisor never pays for it.
  const { default: pretty } = await import("pino-pretty");
  return wrap(pino({ level }, pretty({ destination: 1, sync: true, singleLine: true, translateTime: "SYS:HH:MM:ss.l" })));
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
