#!/usr/bin/env bash
# Benchmark `rctl serve` against Debian's docker-registry (distribution 2.8.2): both run on the
# same disk, with the same data and the same clients, in one run; the script prints each figure
# and the ratio rctl/docker-registry (higher is better for rates, lower for times and memory).
#
#   bench/serve.sh            # needs target/release/rctl (cargo build --release)
#
# Measures: skopeo push and pull of a ~500 MB 8-layer image; raw blob throughput with 8
# parallel curl uploads and downloads of 64 MB blobs; manifest HEAD and GET rates with wrk at
# 1, 10 and 50 connections (with p99 latency; HEAD through `ab -i`, which wrk cannot do); idle RSS; peak RSS while a 2 GiB blob streams in.
# Tools: skopeo, curl, wrk, ab, docker-registry, sha256sum, bc. Runs in about five minutes.
set -euo pipefail

RCTL=${RCTL:-$(cd "$(dirname "$0")/.." && pwd)/target/release/rctl}
REGISTRY_BIN=${REGISTRY_BIN:-/usr/bin/docker-registry}
WORK=$(mktemp -d "${BENCH_DIR:-/tmp}/rctl-bench.XXXXXX")
WRK_SECONDS=${WRK_SECONDS:-4}
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_port() { for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$1/v2/" && return; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }

# --- servers -------------------------------------------------------------------------------
RPORT=$(free_port); DPORT=$(free_port)
mkdir -p "$WORK/rctl" "$WORK/dreg"
"$RCTL" serve --addr "127.0.0.1:$RPORT" --data "$WORK/rctl" >"$WORK/rctl.log" 2>&1 &
RPID=$!; PIDS+=("$RPID")
cat >"$WORK/dreg.yml" <<YAML
version: 0.1
log: {level: info, formatter: text}
storage:
  filesystem: {rootdirectory: $WORK/dreg}
  delete: {enabled: true}
http: {addr: 127.0.0.1:$DPORT, secret: bench}
YAML
"$REGISTRY_BIN" serve "$WORK/dreg.yml" >"$WORK/dreg.log" 2>&1 &
DPID=$!; PIDS+=("$DPID")
wait_port "$RPORT"; wait_port "$DPORT"
sleep 1
R_IDLE=$(rss_kb "$RPID"); D_IDLE=$(rss_kb "$DPID")

# --- a ~500 MB, 8-layer OCI image ------------------------------------------------------------
IMG="$WORK/image"; mkdir -p "$IMG/blobs/sha256"
layers=""; diffids=""
for i in $(seq 1 8); do
  head -c $((62 * 1024 * 1024)) /dev/urandom >"$WORK/layer$i.bin"
  tar -C "$WORK" -cf "$WORK/layer$i.tar" "layer$i.bin"; rm "$WORK/layer$i.bin"
  hex=$(sha256sum "$WORK/layer$i.tar" | cut -d' ' -f1); size=$(stat -c %s "$WORK/layer$i.tar")
  mv "$WORK/layer$i.tar" "$IMG/blobs/sha256/$hex"
  layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$hex\",\"size\":$size}"
  diffids+="${diffids:+,}\"sha256:$hex\""
done
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[%s]}}' "$diffids" >"$WORK/config.json"
chex=$(sha256sum "$WORK/config.json" | cut -d' ' -f1); csize=$(stat -c %s "$WORK/config.json")
mv "$WORK/config.json" "$IMG/blobs/sha256/$chex"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' "$chex" "$csize" "$layers" >"$WORK/manifest.json"
mhex=$(sha256sum "$WORK/manifest.json" | cut -d' ' -f1); msize=$(stat -c %s "$WORK/manifest.json")
mv "$WORK/manifest.json" "$IMG/blobs/sha256/$mhex"
echo '{"imageLayoutVersion":"1.0.0"}' >"$IMG/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' "$mhex" "$msize" >"$IMG/index.json"

printf '%-44s %14s %16s %8s\n' "measure" "rctl serve" "docker-registry" "ratio"
row() { printf '%-44s %14s %16s %8s\n' "$1" "$2" "$3" "$4"; }

# --- skopeo push and pull --------------------------------------------------------------------
skopeo_time() { local t; t=$(now); skopeo copy --quiet "$@" >/dev/null; elapsed "$t"; }
RP=$(skopeo_time --dest-tls-verify=false "oci:$IMG:v1" "docker://127.0.0.1:$RPORT/bench/app:v1")
DP=$(skopeo_time --dest-tls-verify=false "oci:$IMG:v1" "docker://127.0.0.1:$DPORT/bench/app:v1")
row "skopeo push 500 MB, 8 layers (s)" "$(printf %.2f "$RP")" "$(printf %.2f "$DP")" "$(ratio "$DP" "$RP")x"
rm -rf "$WORK/pull"; RL=$(skopeo_time --src-tls-verify=false "docker://127.0.0.1:$RPORT/bench/app:v1" "dir:$WORK/pull")
rm -rf "$WORK/pull"; DL=$(skopeo_time --src-tls-verify=false "docker://127.0.0.1:$DPORT/bench/app:v1" "dir:$WORK/pull")
rm -rf "$WORK/pull"
row "skopeo pull 500 MB, 8 layers (s)" "$(printf %.2f "$RL")" "$(printf %.2f "$DL")" "$(ratio "$DL" "$RL")x"

# --- raw blob throughput: 8 parallel curl uploads and downloads of 64 MB -------------------
# Digests are computed before the clock starts, so only the servers' work is timed.
BLOB_DIGESTS=()
for i in $(seq 1 8); do
  head -c $((64 * 1024 * 1024)) /dev/urandom >"$WORK/blob$i"
  BLOB_DIGESTS[$i]="sha256:$(sha256sum "$WORK/blob$i" | cut -d' ' -f1)"
done
upload() { # port repo index
  local loc digest=${BLOB_DIGESTS[$3]} sep
  loc=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$1/v2/$2/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
  case "$loc" in http*) ;; *) loc="http://127.0.0.1:$1$loc" ;; esac
  case "$loc" in *\?*) sep='&' ;; *) sep='?' ;; esac
  curl -s -o /dev/null -f -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/blob$3" "$loc${sep}digest=$digest"
}
throughput_up() { # port -> MB/s
  local t; t=$(now)
  for i in $(seq 1 8); do upload "$1" raw/blobs "$i" & done; wait
  echo "512 / $(elapsed "$t")" | bc -l
}
throughput_down() {
  local t; t=$(now)
  for i in $(seq 1 8); do
    curl -s -f -o /dev/null "http://127.0.0.1:$1/v2/raw/blobs/blobs/${BLOB_DIGESTS[$i]}" &
  done; wait
  echo "512 / $(elapsed "$t")" | bc -l
}
RU=$(throughput_up "$RPORT"); DU=$(throughput_up "$DPORT")
row "blob upload, 8 x 64 MB parallel (MB/s)" "$(printf %.0f "$RU")" "$(printf %.0f "$DU")" "$(ratio "$RU" "$DU")x"
RD=$(throughput_down "$RPORT"); DD=$(throughput_down "$DPORT")
row "blob download, 8 x 64 MB parallel (MB/s)" "$(printf %.0f "$RD")" "$(printf %.0f "$DD")" "$(ratio "$RD" "$DD")x"
rm -f "$WORK"/blob*

# --- manifest HEAD and GET rates with wrk ----------------------------------------------------
cat >"$WORK/head.lua" <<'LUA'
wrk.method = "HEAD"
wrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json"
LUA
cat >"$WORK/get.lua" <<'LUA'
wrk.method = "GET"
wrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json"
LUA
wrk_run() { # port method conns -> "rate p99"
  local out threads=$(( $3 < 2 ? 1 : 2 ))
  if [ "$2" = head ]; then
    # wrk waits for a body after a HEAD response with Content-Length; ab -i handles HEAD.
    out=$(ab -q -k -i -c "$3" -t "$WRK_SECONDS" -n 10000000 -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://127.0.0.1:$1/v2/bench/app/manifests/v1" 2>/dev/null)
    echo "$(echo "$out" | awk '/Requests per second/ {print $4}') $(echo "$out" | awk '$1=="99%" {print $2"ms"}')"
    return
  fi
  out=$(wrk -t"$threads" -c"$3" -d"${WRK_SECONDS}s" --latency -s "$WORK/$2.lua" "http://127.0.0.1:$1/v2/bench/app/manifests/v1")
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}')"
}
for method in head get; do
  for c in 1 10 50; do
    read -r rr rp <<<"$(wrk_run "$RPORT" "$method" "$c")"
    read -r dr dp <<<"$(wrk_run "$DPORT" "$method" "$c")"
    M=$(echo "$method" | tr a-z A-Z)
    row "manifest $M c=$c (req/s)" "$(printf %.0f "$rr")" "$(printf %.0f "$dr")" "$(ratio "$rr" "$dr")x"
    row "manifest $M c=$c p99 latency" "$rp" "$dp" ""
  done
done

# --- memory ----------------------------------------------------------------------------------
row "idle RSS after start (MB)" "$(ratio "$R_IDLE" 1024)" "$(ratio "$D_IDLE" 1024)" "$(ratio "$R_IDLE" "$D_IDLE")x"
ZERO_DIGEST="sha256:$(head -c $((2048 * 1024 * 1024)) /dev/zero | sha256sum | cut -d' ' -f1)"
peak_upload() { # port pid -> peak RSS kB while a 2 GiB blob streams in
  local loc sep peak=0 rss
  loc=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$1/v2/big/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
  case "$loc" in http*) ;; *) loc="http://127.0.0.1:$1$loc" ;; esac
  case "$loc" in *\?*) sep='&' ;; *) sep='?' ;; esac
  head -c $((2048 * 1024 * 1024)) /dev/zero |
    curl -s -o /dev/null -f -X PUT -T - -H 'Content-Type: application/octet-stream' "$loc${sep}digest=$ZERO_DIGEST" &
  local cpid=$!
  while kill -0 "$cpid" 2>/dev/null; do
    rss=$(rss_kb "$2"); [ "$rss" -gt "$peak" ] && peak=$rss; sleep 0.1
  done
  wait "$cpid"
  echo "$peak"
}
RPEAK=$(peak_upload "$RPORT" "$RPID"); DPEAK=$(peak_upload "$DPORT" "$DPID")
row "peak RSS during a 2 GiB upload (MB)" "$(ratio "$RPEAK" 1024)" "$(ratio "$DPEAK" 1024)" "$(ratio "$RPEAK" "$DPEAK")x"
