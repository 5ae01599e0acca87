#!/usr/bin/env bash
# The operator's time from start to ready, image against image, on the same API server: each image's
# `winnow operator` (its user, its environment, its JVM options; host network, no leader election, no
# CRD apply) run from its root filesystem, from exec to its "winnow operator started" line, after which
# /readyz answers 200. Rounds alternate the images, so load beside them falls on both alike.
#
#   KUBECONFIG=... src/test/images/start-to-ready.sh ROUNDS IMAGE...    (root; the CRDs applied)
#
# docs/images.md has the figures; src/test/cluster/node.sh start gives an API server and its KUBECONFIG.
set -euo pipefail
rounds=$1; shift
bah() { buildah --storage-driver "${STORAGE_DRIVER:-vfs}" "$@"; }
declare -A ROOT
CONTAINERS=()
trap 'for c in "${CONTAINERS[@]}"; do bah rm "$c" >/dev/null; done' EXIT
for image in "$@"; do
  c=$(bah from --pull-never "$image")
  CONTAINERS+=("$c")
  ROOT[$image]=$(bah mount "$c")
done

once() { # once IMAGE: prints the milliseconds from exec to "winnow operator started"
  local image=$1 root=${ROOT[$1]} tmp env user t0 t1 pid
  tmp=$(mktemp -d /tmp/start-to-ready.XXXXXX)
  chmod 1777 "$tmp"
  install -m 644 "$KUBECONFIG" "$tmp/kubeconfig"
  mapfile -t env < <(bah inspect --type image --format '{{range .OCIv1.Config.Env}}{{println .}}{{end}}' "$image")
  user=$(bah inspect --type image --format '{{.OCIv1.Config.User}}' "$image")
  : >"$tmp/out"
  t0=$(date +%s%N)
  # the inner shell writes its PID, which exec hands on to java (setuid clears --kill-child's signal)
  unshare --mount --fork -- bash -c 'root=$1 tmp=$2 user=$3; shift 3
    mount --make-rprivate /; mount --bind "$root" "$root"; mount -t proc proc "$root/proc"
    mount --bind /dev "$root/dev"; mount --bind "$tmp" "$root/tmp"; echo $$ >"$tmp/pid"
    exec env -i "$@" KUBECONFIG=/tmp/kubeconfig unshare --root="$root" --wd=/tmp --setuid="$user" --setgid=0 -- \
      java -jar /app/quarkus-run.jar operator --namespaces default --http-port 18080 --leader-election false' \
    once "$root" "$tmp" "${user%%:*}" "${env[@]}" >"$tmp/out" 2>&1 &
  pid=$!
  until grep -q "winnow operator started" "$tmp/out"; do
    kill -0 "$pid" 2>/dev/null || { tail -5 "$tmp/out" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  kill -KILL "$(cat "$tmp/pid")"
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
  echo $(((t1 - t0) / 1000000))
}

declare -A TIMES
for _ in $(seq "$rounds"); do
  for image in "$@"; do
    ms=$(once "$image")
    echo "$image $ms ms" >&2
    TIMES[$image]+="$ms "
  done
done
for image in "$@"; do
  python3 -c 'import statistics as s, sys; v = [int(x) for x in sys.argv[2].split()]
print(f"{sys.argv[1]}: median {s.median(v):.0f} ms, min {min(v)}, max {max(v)} ({len(v)} runs)")' "$image" "${TIMES[$image]}"
done
