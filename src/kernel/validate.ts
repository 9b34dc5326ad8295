// Field checks shared by every use case. Each failure names the field.
import { invalidArgument } from "./errors.ts";

export const MAX_ID_LENGTH = 200;

export function requireId(field: string, value: string): string {
  if (value.length === 0) throw invalidArgument(field, "is required");
  if (value.length > MAX_ID_LENGTH) throw invalidArgument(field, `must be at most ${MAX_ID_LENGTH} characters`);
  return value;
}

/**
 * C0 and C1 control characters, DEL, and the Unicode line and paragraph
 * separators: none belongs in one line of text, and each can start a new
 * line (or a terminal escape) wherever the text is shown or logged.
 */
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Trimmed text of bounded length; `min` 1 makes it required. */
export function requireText(field: string, value: string, max: number, min = 1): string {
  const v = value.trim();
  if (v.length < min) throw invalidArgument(field, "is required");
  if (v.length > max) throw invalidArgument(field, `must be at most ${max} characters`);
  if (CONTROL_OR_LINE_BREAK.test(v)) throw invalidArgument(field, "must not contain control characters or line breaks");
  return v;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requireEmail(field: string, value: string): string {
  const v = value.trim();
  if (v.length === 0) throw invalidArgument(field, "is required");
  if (v.length > 320 || !EMAIL.test(v) || CONTROL_OR_LINE_BREAK.test(v)) throw invalidArgument(field, "must be an email address like name@example.com");
  return v;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function requireSlug(field: string, value: string): string {
  if (!SLUG.test(value)) {
    throw invalidArgument(field, "must be 1 to 64 lower-case letters, digits or dashes, not starting or ending with a dash");
  }
  return value;
}
