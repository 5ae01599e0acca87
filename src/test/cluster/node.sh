#!/bin/bash
# The real-cluster test tier's single-node Kubernetes: etcd + kube-apiserver + kube-controller-manager +
# kube-scheduler + containerd + kubelet + kube-proxy, CNI bridge cni0 (10.244.0.0/24), all on this machine.
# Adapted from ../shared/k8s/start-node.sh (the reference recipe: every flag there was needed on these
# machines: cgroups v1, no systemd, root without CAP_SYS_RESOURCE). Runs as root.
#
#   WINNOW_K8S_BIN=DIR  the Kubernetes server binaries: kube-apiserver kube-controller-manager kube-scheduler
#                       kubelet kube-proxy (the official release's kubernetes-server-linux-amd64.tar.gz,
#                       server/bin/), plain or xz-compressed (NAME.xz); `pause` is used when there, else
#                       built from a few lines of C. Default: ../shared/k8s/bin beside the repository.
#   WINNOW_K8S_HOME=DIR state, PKI, logs, pids, kubeconfig (default /tmp/winnow-k8s)
#   WINNOW_K8S_CONTROLLER_QPS=N  the controller manager's and scheduler's request rate to the API server
#                       (default: Kubernetes' own, 20 and 50 a second; burst 1.5 N), and 50 Job and garbage
#                       collector workers instead of 5 and 20. Thousands of Jobs at once need more, as a cluster
#                       run at that scale is tuned (ScaleBench's 1,000 loops).
#
#   node.sh start [--fresh]   start what is not running (--fresh: stop all and wipe the cluster's state first);
#                             prints KUBECONFIG=...
#   node.sh stop [NAME...]    stop the named components (etcd kube-apiserver kube-controller-manager
#                             kube-scheduler containerd kubelet kube-proxy), or all
#   node.sh import IMAGE...   copy images from buildah's storage into the node's containerd (skipped when
#                             the same image ID is there already)
# Needs (Debian): etcd-server containerd runc containernetworking-plugins iptables conntrack openssl curl buildah xz-utils gcc
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
D=${WINNOW_K8S_HOME:-/tmp/winnow-k8s}
ALL=(kube-proxy kubelet containerd kube-scheduler kube-controller-manager kube-apiserver etcd)
CSOCK=/run/k8s-node/containerd.sock
mkdir -p "$D/run"
log() { echo "[node.sh $(date +%H:%M:%S)] $*" >&2; }
alive() { local f="$D/run/$1.pid"; [[ -s $f ]] && [[ -d /proc/$(cat "$f") ]]; }

stop() { # stop NAME...: TERM, then KILL after 10 s, and wait until it is gone
  local n p i
  for n in "$@"; do
    alive "$n" || { rm -f "$D/run/$n.pid"; continue; }
    p=$(cat "$D/run/$n.pid"); log "stopping $n pid $p"; kill "$p" 2>/dev/null || true
    for i in $(seq 1 100); do [[ -d /proc/$p ]] || break; sleep 0.1; done
    [[ ! -d /proc/$p ]] || kill -9 "$p" 2>/dev/null || true
    rm -f "$D/run/$n.pid"
  done
}

case ${1:-start} in
  stop)
    shift
    if [[ $# -eq 0 ]]; then
      stop kube-proxy kubelet
      # the pods' containers outlive containerd (their shims keep them): kill them first
      if alive containerd; then
        for t in $(ctr --address $CSOCK -n k8s.io tasks ls -q 2>/dev/null); do
          ctr --address $CSOCK -n k8s.io tasks kill -a -s SIGKILL "$t" >/dev/null 2>&1 || true
        done
        sleep 1
        for t in $(ctr --address $CSOCK -n k8s.io tasks ls -q 2>/dev/null); do
          ctr --address $CSOCK -n k8s.io tasks rm -f "$t" >/dev/null 2>&1 || true
        done
        ctr --address $CSOCK -n k8s.io containers ls -q 2>/dev/null | xargs -r ctr --address $CSOCK -n k8s.io containers rm >/dev/null 2>&1 || true
      fi
      stop containerd kube-scheduler kube-controller-manager kube-apiserver etcd
      pkill -f "containerd-shim.*-address $CSOCK" 2>/dev/null || true
      # the volumes the kubelet mounted for pods (tokens, emptyDirs in memory)
      grep -o " $D/kubelet/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    else
      stop "$@"
    fi
    exit 0 ;;
  import)
    shift
    export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs}
    mkdir -p "$D/images"
    for image in "$@"; do
      id=$(buildah --storage-driver "$STORAGE_DRIVER" inspect --type image --format '{{.FromImageID}}' "$image") \
        || { log "no image $image in buildah's storage: build it first (src/test/images/build-and-test.sh)"; exit 1; }
      mark=$D/images/$(tr '/:' '__' <<<"$image").id
      if [[ -s $mark && $(cat "$mark") == "$id" ]] && ctr --address $CSOCK -n k8s.io images ls -q | grep -qx "$image"; then
        log "$image ($id) already imported"; continue
      fi
      log "importing $image"
      tar=$D/images/import-$$.tar
      trap 'rm -f "$tar"' EXIT
      rm -f "$tar" # docker-archive refuses to add to an existing file
      buildah --storage-driver "$STORAGE_DRIVER" push --quiet "$image" "docker-archive:$tar:$image" >/dev/null
      # Retagging an image lets containerd's garbage collector remove the old image's layer snapshots while the
      # import unpacks the new one onto them ("parent snapshot ... does not exist"): the next try finds the
      # content in place and unpacks what is missing.
      for try in 1 2 3; do
        err=$(ctr --address $CSOCK -n k8s.io images import "$tar" 2>&1 >/dev/null) && break
        ((try < 3)) || { log "ctr could not import $image: $err"; exit 1; }
        log "import of $image failed, trying again: $err"; sleep 1
      done
      rm -f "$tar"
      echo "$id" > "$mark"
    done
    exit 0 ;;
  start)
    if [[ ${2:-} == --fresh ]]; then
      "$0" stop
      rm -rf "$D/run/etcd-data" "$D/kubelet/pods" "$D/cni/ipam"
    fi ;;
  *) echo "usage: $0 start [--fresh] | stop [NAME...] | import IMAGE..." >&2; exit 2 ;;
esac

# the binaries: WINNOW_K8S_BIN, plain or .xz, unpacked once into $D/bin
SRC=${WINNOW_K8S_BIN:-$HERE/../../../../shared/k8s/bin}
[[ -d $SRC ]] || { echo "no Kubernetes server binaries: set WINNOW_K8S_BIN to a directory holding kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kube-proxy (the release's kubernetes-server-linux-amd64.tar.gz, server/bin/)" >&2; exit 1; }
K8S_BIN=$D/bin; mkdir -p "$K8S_BIN"
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy pause; do
  if [[ -x $SRC/$b ]]; then
    cmp -s "$SRC/$b" "$K8S_BIN/$b" || cp "$SRC/$b" "$K8S_BIN/$b"
  elif [[ -e $SRC/$b.xz ]]; then
    [[ -x $K8S_BIN/$b && $K8S_BIN/$b -nt $SRC/$b.xz ]] || { xz -dc "$SRC/$b.xz" > "$K8S_BIN/$b.tmp" && chmod +x "$K8S_BIN/$b.tmp" && mv "$K8S_BIN/$b.tmp" "$K8S_BIN/$b"; }
  elif [[ $b == pause ]]; then
    # the sandbox's process: sleeps until told to stop (as Kubernetes' own pause.c)
    [[ -x $K8S_BIN/pause ]] || { printf '%s\n' '#include <signal.h>' '#include <unistd.h>' '#include <stdlib.h>' \
      'static void bye(int s) { (void) s; exit(0); }' \
      'int main(void) { signal(SIGINT, bye); signal(SIGTERM, bye); for (;;) pause(); }' > "$D/pause.c" \
      && gcc -static -O2 -o "$K8S_BIN/pause" "$D/pause.c"; }
  else
    echo "$SRC has no $b (nor $b.xz)" >&2; exit 1
  fi
done
K8SBIN=$K8S_BIN NODEBIN=$K8S_BIN
PKI=$D/pki RUN=$D/run
NODE=k8s-node
GW=10.244.0.1 POD_CIDR=10.244.0.0/24 SVC_CIDR=10.96.0.0/24 SVC_IP=10.96.0.1
CSOCK=/run/k8s-node/containerd.sock
mkdir -p "$PKI" "$RUN" /run/k8s-node "$D/cni/net.d" "$D/images" "$D/kubelet"
start() { # NAME CMD...
  local name=$1; shift
  if alive "$name"; then log "$name already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  setsid "$@" >>"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"; log "started $name pid $!"
}
wait_for() { # NAME SECONDS CMD...
  local name=$1 secs=$2; shift 2; local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || { log "$name exited:"; tail -n 30 "$RUN/$name.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { log "timeout waiting for $name:"; tail -n 30 "$RUN/$name.log" >&2; exit 1; }
    sleep 0.5
  done
}

# ------------------------------------------------------------------ host networking
sysctl -qw net.ipv4.ip_forward=1 || log "WARN: cannot set ip_forward"
modprobe br_netfilter 2>/dev/null || true
[[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] && sysctl -qw net.bridge.bridge-nf-call-iptables=1 || log "WARN: br_netfilter not available"
if ! ip link show cni0 >/dev/null 2>&1; then
  ip link add cni0 type bridge
  ip addr add $GW/24 dev cni0
fi
ip link set cni0 up
# keep pod traffic on this machine: never forward pod packets out of any non-local interface
iptables -C FORWARD -s $POD_CIDR ! -o cni0 -j DROP 2>/dev/null || iptables -I FORWARD 1 -s $POD_CIDR ! -o cni0 -j DROP

# ------------------------------------------------------------------ PKI (once)
if [[ ! -s $PKI/apiserver.crt ]]; then
  log "generating PKI in $PKI"
  umask 077
  openssl genrsa -out $PKI/ca.key 2048 2>/dev/null
  openssl req -x509 -new -nodes -key $PKI/ca.key -sha256 -days 3650 -subj "/CN=k8s-node-ca" -out $PKI/ca.crt
  openssl genrsa -out $PKI/apiserver.key 2048 2>/dev/null
  printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' \
    "subjectAltName=IP:127.0.0.1,IP:$GW,IP:$SVC_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" > $PKI/apiserver.ext
  openssl req -new -key $PKI/apiserver.key -subj "/CN=kube-apiserver" -out $PKI/apiserver.csr
  openssl x509 -req -in $PKI/apiserver.csr -CA $PKI/ca.crt -CAkey $PKI/ca.key -CAcreateserial -days 3650 -sha256 -extfile $PKI/apiserver.ext -out $PKI/apiserver.crt 2>/dev/null
  # client cert the apiserver presents to the kubelet (logs, exec, port-forward)
  openssl genrsa -out $PKI/apiserver-kubelet-client.key 2048 2>/dev/null
  printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=clientAuth' > $PKI/client.ext
  openssl req -new -key $PKI/apiserver-kubelet-client.key -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" -out $PKI/akc.csr
  openssl x509 -req -in $PKI/akc.csr -CA $PKI/ca.crt -CAkey $PKI/ca.key -CAcreateserial -days 3650 -sha256 -extfile $PKI/client.ext -out $PKI/apiserver-kubelet-client.crt 2>/dev/null
  openssl genrsa -out $PKI/sa.key 2048 2>/dev/null
  openssl rsa -in $PKI/sa.key -pubout -out $PKI/sa.pub 2>/dev/null
  openssl genrsa -out $PKI/front-proxy-ca.key 2048 2>/dev/null
  openssl req -x509 -new -nodes -key $PKI/front-proxy-ca.key -sha256 -days 3650 -subj "/CN=k8s-node-front-proxy-ca" -out $PKI/front-proxy-ca.crt
  openssl genrsa -out $PKI/front-proxy-client.key 2048 2>/dev/null
  openssl req -new -key $PKI/front-proxy-client.key -subj "/CN=front-proxy-client" -out $PKI/fpc.csr
  openssl x509 -req -in $PKI/fpc.csr -CA $PKI/front-proxy-ca.crt -CAkey $PKI/front-proxy-ca.key -CAcreateserial -days 3650 -sha256 -extfile $PKI/client.ext -out $PKI/front-proxy-client.crt 2>/dev/null
  echo "$(openssl rand -hex 32),admin,admin,system:masters" > $PKI/tokens.csv
  umask 022
fi
TOKEN=$(cut -d, -f1 $PKI/tokens.csv)
cat > $D/kubeconfig <<EOF
apiVersion: v1
kind: Config
clusters:
- name: k8s-node
  cluster: {server: "https://$GW:7443", certificate-authority-data: $(base64 -w0 $PKI/ca.crt)}
users:
- name: admin
  user: {token: $TOKEN}
contexts:
- name: k8s-node
  context: {cluster: k8s-node, user: admin, namespace: default}
current-context: k8s-node
EOF
chmod 0600 $D/kubeconfig
KC=$D/kubeconfig

# ------------------------------------------------------------------ etcd
start etcd /usr/bin/etcd --name k8s-node --data-dir $RUN/etcd-data \
  --listen-client-urls http://127.0.0.1:22379 --advertise-client-urls http://127.0.0.1:22379 \
  --listen-peer-urls http://127.0.0.1:22380 --initial-advertise-peer-urls http://127.0.0.1:22380 \
  --initial-cluster k8s-node=http://127.0.0.1:22380 --listen-metrics-urls http://127.0.0.1:22381 \
  --log-level warn --logger zap
wait_for etcd 60 sh -c 'curl -sf http://127.0.0.1:22379/health | grep -q "\"health\":\"true\""'

# ------------------------------------------------------------------ kube-apiserver
start kube-apiserver $K8SBIN/kube-apiserver \
  --advertise-address=$GW --bind-address=$GW --secure-port=7443 \
  --etcd-servers=http://127.0.0.1:22379 \
  --tls-cert-file=$PKI/apiserver.crt --tls-private-key-file=$PKI/apiserver.key \
  --client-ca-file=$PKI/ca.crt --token-auth-file=$PKI/tokens.csv \
  --authorization-mode=Node,RBAC \
  --kubelet-client-certificate=$PKI/apiserver-kubelet-client.crt --kubelet-client-key=$PKI/apiserver-kubelet-client.key \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file=$PKI/sa.pub --service-account-signing-key-file=$PKI/sa.key \
  --service-cluster-ip-range=$SVC_CIDR \
  --requestheader-client-ca-file=$PKI/front-proxy-ca.crt --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file=$PKI/front-proxy-client.crt --proxy-client-key-file=$PKI/front-proxy-client.key \
  --kubelet-preferred-address-types=InternalIP,Hostname \
  --allow-privileged=true --profiling=false --v=1
wait_for kube-apiserver 180 sh -c "curl -sf --cacert $PKI/ca.crt -H 'Authorization: Bearer $TOKEN' https://$GW:7443/readyz | grep -qx ok"
log "kube-apiserver ready"

# ------------------------------------------------------------------ kube-controller-manager, kube-scheduler
RATE=() # Kubernetes' defaults unless asked: the controller manager 20/s (burst 30), the scheduler 50/s (burst 100)
[ -z "${WINNOW_K8S_CONTROLLER_QPS:-}" ] \
  || RATE=(--kube-api-qps="$WINNOW_K8S_CONTROLLER_QPS" --kube-api-burst=$((WINNOW_K8S_CONTROLLER_QPS * 3 / 2)))
SYNCS=()
[ -z "${WINNOW_K8S_CONTROLLER_QPS:-}" ] || SYNCS=(--concurrent-job-syncs=50 --concurrent-gc-syncs=50)
start kube-controller-manager $K8SBIN/kube-controller-manager \
  --kubeconfig=$KC --authentication-kubeconfig=$KC --authorization-kubeconfig=$KC \
  --bind-address=127.0.0.1 --secure-port=10357 --controllers='*' \
  --use-service-account-credentials=false \
  --service-account-private-key-file=$PKI/sa.key --root-ca-file=$PKI/ca.crt \
  --cluster-signing-cert-file=$PKI/ca.crt --cluster-signing-key-file=$PKI/ca.key \
  --service-cluster-ip-range=$SVC_CIDR --allocate-node-cidrs=false \
  "${RATE[@]}" "${SYNCS[@]}" --leader-elect=false --profiling=false --v=1
start kube-scheduler $NODEBIN/kube-scheduler \
  --kubeconfig=$KC --authentication-kubeconfig=$KC --authorization-kubeconfig=$KC \
  --bind-address=127.0.0.1 --secure-port=10359 "${RATE[@]}" \
  --leader-elect=false --profiling=false --v=1

# ------------------------------------------------------------------ containerd
if [[ ! -s $D/containerd.toml ]]; then
  containerd config default > $D/containerd.toml.default
  python3 - "$D" <<'PY'
import re, sys
d = sys.argv[1]
s = open(d + "/containerd.toml.default").read()
s = s.replace('root = "/var/lib/containerd"', f'root = "{d}/containerd/root"', 1)
s = s.replace('state = "/run/containerd"', 'state = "/run/k8s-node/containerd-state"', 1)
s = re.sub(r'(\[grpc\]\n(?:.*\n)*?\s*address = )"[^"]*"', r'\1"/run/k8s-node/containerd.sock"', s, count=1)
s = re.sub(r'sandbox_image = "[^"]*"', 'sandbox_image = "registry.k8s.io/pause:3.9"', s)
s = re.sub(r'SystemdCgroup = \w+', 'SystemdCgroup = false', s)
# this VM's root lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj (sandbox -998) -> clamp it
s = re.sub(r'restrict_oom_score_adj = \w+', 'restrict_oom_score_adj = true', s)
s = re.sub(r'bin_dir = "[^"]*"', 'bin_dir = "/usr/lib/cni"', s)
s = re.sub(r'conf_dir = "[^"]*"', f'conf_dir = "{d}/cni/net.d"', s)
open(d + "/containerd.toml", "w").write(s)
PY
fi
cat > $D/cni/net.d/10-bridge.conflist <<EOF
{
  "cniVersion": "1.0.0",
  "name": "k8s-node-pods",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "isDefaultGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$GW"}]],
              "dataDir": "$D/cni/ipam"}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
start containerd /usr/bin/containerd --config $D/containerd.toml
wait_for containerd 60 ctr --address $CSOCK version

# ------------------------------------------------------------------ pause image (static, scratch)
if ! ctr --address $CSOCK -n k8s.io images ls -q | grep -qx registry.k8s.io/pause:3.9; then
  if [[ ! -s $D/images/pause.tar ]]; then
    log "building pause image"
    cp $K8S_BIN/pause $D/images/pause
    c=$(buildah --storage-driver vfs from scratch)
    buildah --storage-driver vfs copy $c $D/images/pause /pause >/dev/null
    buildah --storage-driver vfs config --entrypoint '["/pause"]' --user 65535:65535 $c >/dev/null
    buildah --storage-driver vfs commit --rm $c localhost/k8s-node-pause:3.9 >/dev/null
    buildah --storage-driver vfs push localhost/k8s-node-pause:3.9 docker-archive:$D/images/pause.tar:registry.k8s.io/pause:3.9 >/dev/null
  fi
  ctr --address $CSOCK -n k8s.io images import $D/images/pause.tar >/dev/null
fi

# ------------------------------------------------------------------ kubelet
printf 'nameserver 127.0.0.1\n' > $D/resolv.conf   # no cluster DNS; keep pod DNS on loopback (nothing leaves the host)
cat > $D/kubelet-config.yaml.new <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failSwapOn: false
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
address: $GW
healthzBindAddress: 127.0.0.1
healthzPort: 10248
resolvConf: $D/resolv.conf
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
maxPods: 50
EOF
cmp -s $D/kubelet-config.yaml.new $D/kubelet-config.yaml && rm -f $D/kubelet-config.yaml.new || mv $D/kubelet-config.yaml.new $D/kubelet-config.yaml
# containerd answers `ctr version` before its CRI plugin is up, and a kubelet that finds CRI not
# initialized yet exits: start it again until it stays
for try in 1 2 3 4 5; do
  start kubelet $NODEBIN/kubelet --config=$D/kubelet-config.yaml --kubeconfig=$KC \
    --container-runtime-endpoint=unix://$CSOCK --node-ip=$GW --hostname-override=$NODE \
    --root-dir=$D/kubelet --v=1
  if (wait_for kubelet 120 sh -c 'curl -sf http://127.0.0.1:10248/healthz | grep -qx ok') >/dev/null 2>&1; then break; fi
  alive kubelet && { log "kubelet did not become healthy:"; tail -n 30 "$RUN/kubelet.log" >&2; exit 1; }
  grep -q 'server is not initialized yet' "$RUN/kubelet.log" || { log "kubelet exited:"; tail -n 30 "$RUN/kubelet.log" >&2; exit 1; }
  [[ $try -lt 5 ]] || { log "kubelet exited five times: CRI is not ready"; exit 1; }
  log "kubelet exited: containerd's CRI is not ready yet; starting it again"
  : > "$RUN/kubelet.log"; sleep 1
done
log "kubelet healthy"

# ------------------------------------------------------------------ kube-proxy
cat > $D/kube-proxy.yaml.new <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $KC}
hostnameOverride: $NODE
clusterCIDR: $POD_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10356
metricsBindAddress: 127.0.0.1:10349
conntrack: {maxPerCore: 0}
EOF
cmp -s $D/kube-proxy.yaml.new $D/kube-proxy.yaml && rm -f $D/kube-proxy.yaml.new || mv $D/kube-proxy.yaml.new $D/kube-proxy.yaml  # kube-proxy exits when its config file is rewritten
start kube-proxy $NODEBIN/kube-proxy --config=$D/kube-proxy.yaml --v=1
wait_for kube-proxy 60 sh -c 'curl -sf http://127.0.0.1:10356/healthz'

log "waiting for node $NODE Ready"
ready=false
for i in $(seq 1 240); do
  kubectl --kubeconfig $KC get node $NODE -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True && { ready=true; break; }
  sleep 0.5
done
$ready || { log "node $NODE is not Ready after 120 s:"; tail -n 30 "$RUN/kubelet.log" >&2; exit 1; }
log "ready. export KUBECONFIG=$KC"

echo "KUBECONFIG=$KC"
