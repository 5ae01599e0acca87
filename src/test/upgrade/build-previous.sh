#!/usr/bin/env bash
# Builds the previous release of Winnow (src/test/upgrade/previous-release: its version and commit) for the
# upgrade test: its source under target/previous-release/ (the test installs that chart) and its images
# localhost/winnow-operator:VERSION and localhost/winnow-worker:VERSION in buildah's storage, built and tested
# by that release's own src/test/images/build-and-test.sh. Skips what is already there. Run as root, from the
# repository root, with the full history (a shallow clone lacks the commit: git fetch --unshallow).
set -euo pipefail
cd "$(dirname "$0")/../../.."
read -r VERSION COMMIT < src/test/upgrade/previous-release
OUT=target/previous-release
STORAGE=(--storage-driver vfs)

log() { echo "== previous release $VERSION: $*"; }

if ! git cat-file -e "$COMMIT^{commit}" 2>/dev/null; then
  echo "commit $COMMIT of Winnow $VERSION is not in this clone; fetch the whole history (git fetch --unshallow --tags)" >&2
  exit 1
fi
if [ "$(cat "$OUT/.commit" 2>/dev/null)" != "$COMMIT" ]; then
  rm -rf "$OUT" && mkdir -p "$OUT"
  git archive "$COMMIT" | tar -x -C "$OUT"
  echo "$COMMIT" > "$OUT/.commit"
  log "source of $COMMIT in $OUT"
fi
ids() {
  for image in operator worker; do
    buildah "${STORAGE[@]}" inspect --type image --format '{{.FromImageID}}' "localhost/winnow-$image:$VERSION" 2>/dev/null || echo none
  done
}
# images of that tag built from another commit (a build of the version before it was released) do not count
if [ -s "$OUT/.images" ] && [ "$(ids)" = "$(cat "$OUT/.images")" ]; then
  log "images already built from $COMMIT"
  exit 0
fi
start=$(date +%s)
(cd "$OUT" && ./mvnw -q -B -ntp package -DskipTests && src/test/images/build-and-test.sh)
ids > "$OUT/.images"
log "built and tested in $(( $(date +%s) - start )) s"
