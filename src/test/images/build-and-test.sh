#!/usr/bin/env bash
# Builds Winnow's images with buildah from src/main/docker/, then tests each one by running it as a
# step Job or the operator's Deployment runs it. CI (.ci/run) and the release (.github/workflows/
# release.yml) both build their images with this script.
#
#   src/test/images/build-and-test.sh [--base IMAGE] [--jdk IMAGE] [--os IMAGE] [--tag TAG] [--push REGISTRY] [--sizes] [IMAGE...]
#
# IMAGE      operator, worker (CPU) or worker-cuda; default: operator worker. Package the jar first:
#            `./mvnw package` for operator and worker, `./mvnw package -Pcuda` for worker-cuda (the CUDA
#            build replaces the CPU one in target/quarkus-app, so build worker before it).
# --base     the Java 17 runtime the images are built FROM (the release: docker.io/library/eclipse-
#            temurin:17-jre). Default: one built here from Debian's packages with mmdebstrap, so no
#            registry is needed; its root filesystem is cached in $WINNOW_IMAGE_CACHE for a week.
# --jdk, --os  the operator's: the JDK whose jlink links its runtime, and the system that runtime runs
#            on. Default: with --base, the Dockerfile's (Temurin 17 JDK, debian:bookworm-slim); without,
#            built here from Debian's packages like the base (openjdk-17-jdk-headless; minbase).
# --tag      the images' tag; default: the chart's appVersion (helm/winnow/Chart.yaml)
# --push     after its tests pass, push each image as REGISTRY/winnow-<image>:TAG
# --sizes    also measure each image compressed, as a registry stores it (docs/images.md)
#
# Runs as root (buildah and the test sandbox mount file systems); installs buildah and mmdebstrap
# with apt-get when they are missing. STORAGE_DRIVER (default vfs) is buildah's storage driver.
set -euo pipefail
cd "$(dirname "$0")/../../.."

BASE=""
JDK=""
OS=""
TAG=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/winnow/Chart.yaml)
PUSH=""
SIZES=false
IMAGES=()
while [ $# -gt 0 ]; do
  case $1 in
    --base) BASE=$2; shift 2 ;;
    --jdk) JDK=$2; shift 2 ;;
    --os) OS=$2; shift 2 ;;
    --tag) TAG=$2; shift 2 ;;
    --push) PUSH=$2; shift 2 ;;
    --sizes) SIZES=true; shift ;;
    operator|worker|worker-cuda) IMAGES+=("$1"); shift ;;
    *) echo "unknown argument: $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
[ ${#IMAGES[@]} -gt 0 ] || IMAGES=(operator worker)

CACHE=${WINNOW_IMAGE_CACHE:-/var/cache/winnow-images}
FASHION=/usr/share/datasets/fashion-mnist
WORKER_UID=1001
export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
WORK=$(mktemp -d /tmp/winnow-images.XXXXXX)
CONTAINERS=()

log() { printf '\n== %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
bah() { buildah --storage-driver "$STORAGE_DRIVER" "$@"; }

cleanup() {
  for c in "${CONTAINERS[@]}"; do bah rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

install_tools() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  [ -n "$BASE" ] || command -v mmdebstrap >/dev/null || missing+=(mmdebstrap debian-archive-keyring)
  command -v python3 >/dev/null || missing+=(python3)
  if [[ " ${IMAGES[*]} " == *" worker "* ]] && [ ! -d "$FASHION" ]; then missing+=(dataset-fashion-mnist); fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  fi
}

# debian_image NAME MMDEBSTRAP-OPTION...: Debian bookworm made of its own packages by mmdebstrap (no
# registry needed), as an image named localhost/winnow-base:bookworm-NAME-<the tarball's time>. The
# tarball is cached for a week under a name that changes with the options, so fresh options or a
# fresh tarball make a fresh image.
debian_image() {
  local name=$1; shift
  # documentation and translations left out (licences stay); merged /usr by mmdebstrap's hook
  # rather than the usrmerge package, which would bring perl (47 MB)
  local options=("$@" --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*')
  local tar partial=$CACHE/partial.tar # mmdebstrap's output format follows the file name
  tar=$CACHE/bookworm-$name-$(sha256sum <<<"${options[*]}" | cut -c1-12).tar
  mkdir -p "$CACHE"
  if [ ! -s "$tar" ] || [ -n "$(find "$tar" -mtime +7)" ]; then
    log "base: mmdebstrap bookworm $*"
    mmdebstrap "${options[@]}" bookworm "$partial" >"$WORK/mmdebstrap.log" 2>&1 \
      || { tail -20 "$WORK/mmdebstrap.log" >&2; fail "mmdebstrap"; }
    mv "$partial" "$tar"
  fi
  local image
  image=localhost/winnow-base:bookworm-$name-$(stat -c %Y "$tar")
  if ! bah inspect --type image "$image" >/dev/null 2>&1; then
    bah images --format '{{.Name}}:{{.Tag}}' | grep "^localhost/winnow-base:bookworm-$name-" | xargs -r buildah --storage-driver "$STORAGE_DRIVER" rmi >/dev/null 2>&1 || true
    log "base: importing $tar as $image"
    local c env=(--env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8)
    [ "$name" = os ] || env+=(--env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64)
    c=$(bah from scratch)
    CONTAINERS+=("$c")
    bah add --quiet "$c" "$tar" / >/dev/null
    bah config "${env[@]}" "$c"
    bah commit --quiet --rm "$c" "$image" >/dev/null
  fi
  echo "$image"
}

build() { # build IMAGE: src/main/docker/Dockerfile.<operator|worker>, tagged localhost/winnow-IMAGE:TAG
  local image=$1 dockerfile=Dockerfile.${1%-cuda} args=()
  if [ "$image" = operator ]; then # a runtime jlinked by JDK on OS (the Dockerfile's own defaults where unset)
    [ -z "$JDK" ] || args+=(--build-arg "JDK=$JDK")
    [ -z "$OS" ] || args+=(--build-arg "BASE=$OS")
    log "building localhost/winnow-$image:$TAG FROM ${OS:-its default}, its runtime jlinked by ${JDK:-its default}"
  else
    args+=(--build-arg "BASE=$BASE")
    [ "$image" = worker-cuda ] && args+=(--build-arg FLAVOR=cu124)
    log "building localhost/winnow-$image:$TAG FROM $BASE"
  fi
  bah bud --quiet --isolation chroot -f "src/main/docker/$dockerfile" "${args[@]}" \
    -t "localhost/winnow-$image:$TAG" . >/dev/null
}

inspect() { bah inspect --type image --format "$2" "$1"; }

# --- running an image as Kubernetes runs Winnow's pods ---------------------------------------------
# The image's user, entrypoint, working directory and environment, a read-only root filesystem with
# an empty writable /tmp, /dev/termination-log, no network and no capabilities. `buildah run` cannot
# do this: 1.28 has no read-only root, and given one it fails tidying up its mount points. So the
# image's root filesystem (buildah mount) runs in new namespaces made with unshare instead.

# sandbox ROOTFS UID GID WORKDIR TERMLOG TMP NVOLUMES VOLUME... NENV ENV... -- COMMAND...  (runs in the new namespaces)
sandbox() {
  local root=$1 uid=$2 gid=$3 wd=$4 termlog=$5 tmp=$6
  shift 6
  local volumes=("${@:2:$1}"); shift $(($1 + 1))
  local env=("${@:2:$1}"); shift $(($1 + 1))
  [ "$1" = -- ] && shift
  mount --make-rprivate /
  mount --bind "$root" "$root"
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o nosuid,mode=755 dev "$root/dev"
  local d
  for d in null zero full random urandom tty; do
    touch "$root/dev/$d" && mount --bind "/dev/$d" "$root/dev/$d"
  done
  ln -s /proc/self/fd "$root/dev/fd"
  mkdir "$root/dev/shm" && mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
  touch "$root/dev/termination-log" && mount --bind "$termlog" "$root/dev/termination-log"
  mount --bind "$tmp" "$root/tmp"
  local v host path mode
  for v in "${volumes[@]}"; do
    IFS=: read -r host path mode <<<"$v"
    mount --bind "$host" "$root$path"
    [ "$mode" != ro ] || mount -o remount,bind,ro "$root$path"
  done
  mount -o remount,bind,ro "$root"
  exec env -i "${env[@]}" unshare --root="$root" --wd="$wd" --setgid="$gid" --setuid="$uid" -- "$@"
}

# prepare_pod IMAGE: a container of IMAGE to run pods of (its root stays read-only, so one serves every run)
declare -A POD_ROOT
prepare_pod() {
  local image=$1 c
  c=$(bah from --pull-never "$image")
  CONTAINERS+=("$c")
  POD_ROOT[$image]=$(bah mount "$c")
}

# pod IMAGE [-v HOST:PATH[:ro]]... [-e NAME=VALUE]... [--entrypoint PROGRAM] -- ARG...: runs the
# image's entrypoint with ARGs (a Job's args); returns the container's exit code and leaves its
# stdout, stderr and termination-log in the directory $POD.
POD=""
pod() {
  local image=$1; shift
  local volumes=() env=() user uid gid wd entrypoint=()
  while [ "$1" != -- ]; do
    case $1 in
      -v) volumes+=("$2"); mkdir -p "${POD_ROOT[$image]}$(cut -d: -f2 <<<"$2")" ;;
      -e) env+=("$2") ;;
      --entrypoint) entrypoint=("$2") ;;
    esac
    shift 2
  done
  shift
  user=$(inspect "$image" '{{.OCIv1.Config.User}}')
  uid=${user%%:*}
  gid=0
  [[ $user == *:* ]] && gid=${user#*:}
  [ ${#entrypoint[@]} -gt 0 ] || mapfile -t entrypoint < <(inspect "$image" '{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}')
  mapfile -t -O ${#env[@]} env < <(inspect "$image" '{{range .OCIv1.Config.Env}}{{println .}}{{end}}')
  wd=$(inspect "$image" '{{.OCIv1.Config.WorkingDir}}')
  POD=$(mktemp -d "$WORK/pod.XXXXXX")
  mkdir -m 1777 "$POD/tmp"
  install -m 666 /dev/null "$POD/termination-log"
  unshare --mount --pid --net --ipc --uts --fork --kill-child -- bash -c "set -eu; $(declare -f sandbox); sandbox \"\$@\"" sandbox \
    "${POD_ROOT[$image]}" "$uid" "$gid" "${wd:-/}" "$POD/termination-log" "$POD/tmp" \
    ${#volumes[@]} "${volumes[@]}" ${#env[@]} "${env[@]}" -- "${entrypoint[@]}" "$@" \
    >"$POD/stdout" 2>"$POD/stderr"
}

# why: the lines of the last pod's output that say why it failed (Quarkus logs to stdout)
why() {
  { grep -h -m3 -E '^(Caused by: |error: |[a-z]+(\.[A-Za-z$]+)+(Exception|Error)\b)' "$POD/stderr" "$POD/stdout" || tail -3 "$POD/stderr"; } \
    | head -3 | cut -c1-300
}

# expect FILE PYTHON-CONDITION: the JSON in FILE (as r) satisfies the condition
expect() {
  python3 - "$@" <<'PY' || fail "$(basename "$(dirname "$1")")/$(basename "$1"): expected $2, got: $(cat "$1")"
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# --- the tests ------------------------------------------------------------------------------------

expect_locked_down() { # the user Kubernetes' runAsNonRoot accepts, and no PyTorch jar beside the unpacked library
  local image=$1 user
  user=$(inspect "$image" '{{.OCIv1.Config.User}}')
  [[ ${user%%:*} =~ ^[0-9]+$ && ${user%%:*} != 0 ]] \
    || fail "$image runs as '${user:-root}': it must name a numeric non-root user (USER 1001) for runAsNonRoot"
  [ "${user%%:*}" = "$WORKER_UID" ] || fail "$image runs as $user, the step Jobs and the chart run uid $WORKER_UID"
  local jars
  jars=$(find "${POD_ROOT[$image]}/app" -name '*pytorch-native*.jar')
  [ -z "$jars" ] || fail "$image holds $jars"
  # and the sandbox is what it claims: that user, a read-only root, a writable /tmp, no network
  pod "$image" --entrypoint /bin/sh -- -c 'id -u; sed -n "3,\$s/:.*//p" /proc/net/dev; touch /tmp/ok; touch /app/x' \
    && fail "the test sandbox let $image write to /app"
  grep -q 'Read-only file system' "$POD/stderr" && [ -e "$POD/tmp/ok" ] \
    && [ "$(tr -d ' ' <"$POD/stdout" | paste -sd,)" = "$WORKER_UID,lo" ] \
    || fail "the test sandbox is not locked down (uid, interfaces: $(paste -sd, "$POD/stdout")): $(cat "$POD/stderr")"
}

test_operator() {
  local image=localhost/winnow-operator:$TAG
  log "testing $image"
  prepare_pod "$image"
  expect_locked_down "$image"
  local extra
  extra=$(find "${POD_ROOT[$image]}/app" -name '*.jar' | grep -E 'ai\.djl|pytorch|mockwebserver|kubernetes-server-mock|awssdk|bouncycastle' || true)
  [ -z "$extra" ] || fail "the operator image holds data-plane jars: $extra"
  pod "$image" -- operator --help || fail "operator --help exited non-zero: $(why)"
  grep -q '^Usage: winnow operator' "$POD/stdout" || fail "operator --help printed: $(cat "$POD/stdout" "$POD/stderr")"
  # its help lists the demo too: asked for, it names the image that has it instead of a stack trace
  local code=0
  pod "$image" -- demo --workdir /tmp/demo --rounds 1 || code=$?
  [ "$code" = 2 ] && grep -q "run it from the worker image" "$POD/stderr" && ! grep -q '^\s*at ' "$POD/stderr" \
    || fail "demo in the operator image exited $code: $(cat "$POD/stderr")"
  echo "operator image: control plane only, operator --help works as uid $WORKER_UID on a read-only root; demo says to use the worker image" >&2
}

# A 1,000-sample Fashion-MNIST pool (and 1,000 held-out samples) from Debian's dataset-fashion-mnist
fashion_subset() {
  local out=$WORK/fashion
  mkdir -p "$out"
  python3 - "$FASHION" "$out" 1000 <<'PY'
import gzip, os, struct, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for split in ("train", "t10k"):
    for kind, header, item in (("images", 16, 28 * 28), ("labels", 8, 1)):
        name = f"{split}-{kind}-idx{3 if kind == 'images' else 1}-ubyte"
        path = os.path.join(src, name)
        data = gzip.open(path + ".gz").read() if os.path.exists(path + ".gz") else open(path, "rb").read()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data[:4] + struct.pack(">I", n) + data[8:header] + data[header:header + n * item])
PY
  chmod -R a+rX "$out"
  echo "$out"
}

test_worker() {
  local image=localhost/winnow-worker:$TAG
  log "testing $image"
  prepare_pod "$image"
  expect_locked_down "$image"

  # the class-data archive maps in the locked-down pod: -Xshare:on fails where the default would
  # silently load every class again (an archive written by another JVM, or not readable by the user)
  pod "$image" --entrypoint java -- -Xshare:on -XX:SharedArchiveFile=/app/winnow.jsa -Xlog:class+load \
    -jar /app/quarkus-run.jar worker index --help || fail "the worker's class-data archive does not map: $(why)"
  [ "$(grep -c 'shared objects file (top)' "$POD/stdout")" -gt 1000 ] \
    || fail "the worker's class-data archive holds too few of the classes a step loads: $(grep -c 'shared objects file (top)' "$POD/stdout")"

  # the engine loads offline (no network in the pod) from what the build unpacked
  pod "$image" -- worker engine || fail "worker engine: $(why)"
  expect "$POD/stdout" 'r["engine"] == "PyTorch" and r["library"] == "/app/libtorch" and r["device"] == "cpu()"'

  # the steps of a round, driven by the contract's environment alone, on file:// volumes as a PVC gives them
  local data work
  data=$(fashion_subset)
  work=$WORK/volume
  mkdir -m 777 "$work"
  local contract=(-v "$data:/data/fashion:ro" -v "$work:/work"
    -e WINNOW_TASK=Classification -e WINNOW_CLASSES=t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot
    -e WINNOW_DATASET=fashion -e WINNOW_DATASET_URI=file:///data/fashion/ -e WINNOW_DATASET_FORMAT=Idx
    -e WINNOW_LABELS_URI=file:///work/labels/ -e WINNOW_LABELS_FORMAT=Jsonl -e WINNOW_ARTIFACTS_URI=file:///work/artifacts/
    -e WINNOW_MANIFEST=file:///work/artifacts/datasets/fashion/manifest.jsonl)
  local a=file:///work/artifacts
  step() { # step NAME ENV...: runs `worker NAME` like its Job; its termination message is in $POD/termination-log
    local name=$1; shift
    pod "$image" "${contract[@]}" -e "WINNOW_STEP=$name" "$@" -- worker "$name" \
      || fail "worker $name exited non-zero: $(why); termination message: $(cat "$POD/termination-log")"
    echo "worker $name: $(cat "$POD/termination-log")" >&2
  }
  step index
  expect "$POD/termination-log" 'r["samples"] == 1000 and r["labeled"] == 0'
  step select -e WINNOW_STRATEGY=random -e WINNOW_COUNT=200 -e WINNOW_EXCLUDE_ALL_LABELED=true -e WINNOW_SEED=7 \
    -e WINNOW_TAG=initial -e WINNOW_SELECTION_OUT=$a/rounds/fashion-r0/selection.jsonl
  expect "$POD/termination-log" 'r["selected"] == 200 and r["tag"] == "initial"'
  step await-labels -e WINNOW_SELECTION=$a/rounds/fashion-r0/selection.jsonl -e WINNOW_TAG=initial \
    -e WINNOW_LABELING_MODE=Simulated
  expect "$POD/termination-log" 'r["labeled"] == 200'
  step index
  expect "$POD/termination-log" 'r["samples"] == 1000 and r["labeled"] == 200 and r["tags"][0]["count"] == 200'
  step prepare -e WINNOW_TRAIN_TAGS=initial -e WINNOW_PREDICT_TARGET=Unlabeled \
    -e WINNOW_TRAIN_IDS=$a/runs/fashion-r1/train-ids.txt -e WINNOW_PREDICT_IDS=$a/runs/fashion-r1/predict-ids.txt
  expect "$POD/termination-log" 'r["trainIds"] == 200 and r["predictIds"] == 800'
  # ten classes: chance is 0.1; 200 labels and 4 epochs reach about 0.6
  step train -e WINNOW_TRAIN_IDS=$a/runs/fashion-r1/train-ids.txt -e WINNOW_CHECKPOINT_OUT=$a/runs/fashion-r1/model/ \
    -e WINNOW_EPOCHS=4
  expect "$POD/termination-log" 'r["trained"] == 200 and r["metrics"]["accuracy"] > 0.4'
  step infer -e WINNOW_CHECKPOINT=$a/runs/fashion-r1/model/ -e WINNOW_PREDICT_IDS=$a/runs/fashion-r1/predict-ids.txt \
    -e WINNOW_PREDICTIONS_OUT=$a/runs/fashion-r1/predictions/ -e WINNOW_OUTPUTS=probabilities,embeddings \
    -e WINNOW_SHARDS=1 -e JOB_COMPLETION_INDEX=0
  expect "$POD/termination-log" 'r["count"] == 800'
  step select -e WINNOW_PREDICTIONS=$a/runs/fashion-r1/predictions/ -e WINNOW_STRATEGY=margin -e WINNOW_COUNT=100 \
    -e WINNOW_EXCLUDE_ALL_LABELED=true -e WINNOW_SEED=7 -e WINNOW_TAG=round-1 -e WINNOW_SELECTION_OUT=$a/rounds/fashion-r1/selection.jsonl
  expect "$POD/termination-log" 'r["selected"] == 100 and r["excluded"] == 200'
  [ -z "$(find "$work" -mindepth 1 -user 0)" ] || fail "the steps left files owned by root in the volume"
  echo "worker image: engine offline and a whole round of steps as uid $WORKER_UID on a read-only root" >&2
}

# Without a GPU the CUDA build cannot be loaded (PyTorch's CUDA libraries need the driver's
# libcuda.so.1); what is checked here is that the engine found the unpacked CUDA build, offline,
# and stopped at the driver, and that on a GPU machine it loads.
test_worker_cuda() {
  local image=localhost/winnow-worker-cuda:$TAG
  log "testing $image"
  prepare_pod "$image"
  expect_locked_down "$image"
  [ -f "${POD_ROOT[$image]}/app/libtorch/libtorch_cuda.so" ] || fail "$image has no /app/libtorch/libtorch_cuda.so"
  compgen -G "${POD_ROOT[$image]}/app/djl-cache/pytorch/*-cu124-linux-x86_64/*-libdjl_torch.so" >/dev/null \
    || fail "$image has no JNI library for cu124 where DJL looks for it (/app/djl-cache/pytorch/<version>-cu124-linux-x86_64/)"
  if pod "$image" -- worker engine; then
    expect "$POD/stdout" 'r["library"] == "/app/libtorch"'
    echo "worker-cuda image: $(cat "$POD/stdout")" >&2
  else
    grep -q 'libcuda.so.1' "$POD/stderr" || fail "worker engine (CUDA): $(why)"
    echo "worker-cuda image: the engine found the unpacked CUDA build and needs a GPU node's driver (libcuda.so.1) to load it" >&2
  fi
}

sizes() { # as `buildah images` counts it, what Winnow adds in /app, and compressed as a registry stores it
  local image=localhost/winnow-$1:$TAG
  printf '%-28s %8s   /app %4d MB' "winnow-$1:$TAG" "$(bah images --format '{{.Size}}' "$image")" \
    $(($(du -sb "${POD_ROOT[$image]}/app" | cut -f1) / 1000000))
  if $SIZES; then
    local dir=$WORK/oci-$1
    bah push --quiet --compression-format gzip "$image" "oci:$dir" >/dev/null
    printf '   %d MB compressed' $(($(du -sb "$dir/blobs" | cut -f1) / 1000000))
    rm -rf "$dir"
  fi
  echo
}

install_tools
if [ -z "$BASE" ]; then
  # the workers' Java 17 runtime
  [[ " ${IMAGES[*]} " != *" worker"* ]] || BASE=$(debian_image jre17 --variant=apt --include=openjdk-17-jre-headless)
  if [[ " ${IMAGES[*]} " == *" operator "* ]]; then
    # the operator's JDK to jlink with (binutils: Debian's jlink strips native debug symbols with objcopy)
    [ -n "$JDK" ] || JDK=$(debian_image jdk17 --variant=apt --include=openjdk-17-jdk-headless,binutils)
    # and its system without Java to run on: minbase, the essential packages and apt, whose libstdc++ the
    # linked runtime's libjimage needs (mmdebstrap leaves out apt's lists)
    [ -n "$OS" ] || OS=$(debian_image os --variant=minbase --dpkgopt='path-exclude=/usr/share/man/*')
  fi
fi
ready=$SECONDS
for image in "${IMAGES[@]}"; do
  build "$image"
  "test_${image//-/_}"
  [ -z "$PUSH" ] || { log "pushing $PUSH/winnow-$image:$TAG"; bah push "localhost/winnow-$image:$TAG" "docker://$PUSH/winnow-$image:$TAG"; }
done
log "images: built and tested in $((SECONDS - ready)) s, $SECONDS s in all (tools and base: $ready s)"
for image in "${IMAGES[@]}"; do sizes "$image"; done
bah rmi --prune >/dev/null 2>&1 || true
