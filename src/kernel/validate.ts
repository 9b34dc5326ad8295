// Field checks shared by every use case. Each failure names the field.
import { invalidArgument } from "./errors.ts";

export const MAX_ID_LENGTH = 200;

export function requireId(field: string, value: string): string {
  if (value.length === 0) throw invalidArgument(field, "is required");
  if (value.length > MAX_ID_LENGTH) throw invalidArgument(field, `must be at most ${MAX_ID_LENGTH} characters`);
  return value;
}

/** Trimmed text of bounded length; `min` 1 makes it required. */
export function requireText(field: string, value: string, max: number, min = 1): string {
  const v = value.trim();
  if (v.length < min) throw invalidArgument(field, "is required");
  if (v.length > max) throw invalidArgument(field, `must be at most ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(v)) throw invalidArgument(field, "must not contain control characters");
  return v;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requireEmail(field: string, value: string): string {
  const v = value.trim();
  if (v.length === 0) throw invalidArgument(field, "is required");
  if (v.length > 320 || !EMAIL.test(v)) throw invalidArgument(field, "must be an email address like name@example.com");
  return v;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function requireSlug(field: string, value: string): string {
  if (!SLUG.test(value)) {
    throw invalidArgument(field, "must be 1 to 64 lower-case letters, digits or dashes, not starting or ending with a dash");
  }
  return value;
}
