#!/usr/bin/env bash
# Fetches the Dockerfile corpus of bench (c) listed in SOURCES, each file at
# its pinned commit, into bench/dockerfiles/corpus/ (not committed: the
# files belong to their projects; SOURCES says where each comes from and
# under which licence). Needs network access to raw.githubusercontent.com.
#   bench/dockerfiles/fetch.sh [TARGET_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:-$here/corpus}"
mkdir -p "$target"
count=0
while IFS=$'\t' read -r name repo path commit licence; do
  case "$name" in ''|'#'*) continue ;; esac
  if [ ! -s "$target/$name" ]; then
    curl -fsSL --retry 3 -o "$target/$name" \
      "https://raw.githubusercontent.com/$repo/$commit/$path"
  fi
  count=$((count + 1))
done < "$here/SOURCES"
echo "$count Dockerfiles in $target"
