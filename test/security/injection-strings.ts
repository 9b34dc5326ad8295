// Text that has hurt servers before: SQL metacharacters and LIKE wildcards,
// control characters that could forge a log line or cut a C string, bidi
// overrides that make a name read differently than it is stored, characters
// outside the Basic Multilingual Plane (4 bytes in UTF-8, 2 UTF-16 units in
// JavaScript, so length checks can disagree), and JSON and HTML syntax.
export const INJECTION_STRINGS: readonly string[] = [
  "'; DROP TABLE users; --",
  "\" OR \"1\"=\"1",
  "' OR '1'='1' --",
  "Robert'); DELETE FROM memberships; --",
  "%",
  "_",
  "%_%",
  "\\",
  "a\\%b",
  "nul\u0000byte",
  "line\nbreak",
  "cr\rlf\r\n{\"level\":\"error\",\"msg\":\"forged\"}",
  "tab\there",
  "esc\u001b[31mred",
  "del\u007f",
  "next\u0085line",
  "ls\u2028ps\u2029",
  "rtl\u202egnp.exe",
  "zero\u200bwidth\ufeffjoiner",
  "emoji 🎉👩‍👩‍👧",
  "𝕌𝕟𝕚𝕔𝕠𝕕𝕖",
  "<script>alert(1)</script>",
  "{\"$ne\":null}",
  "${jndi:ldap://x}",
  "../../etc/passwd",
  "Ünïcödé ñ 中文 العربية",
];

/** Lone UTF-16 surrogates: JSON can carry them ("\ud800"), UTF-8 (so protobuf) cannot. */
export const LONE_SURROGATES: readonly string[] = ["lone\ud800high", "lone\udc00low", "\udfff"];

/** Characters that start a new line in some reader: what must never appear raw in a log line. */
export const LINE_BREAKS = /[\n\r\u0085\u2028\u2029]/;
