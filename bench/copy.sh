#!/usr/bin/env bash
# Benchmark `rctl copy` against `skopeo copy --all` on the same data, in one run, alternating
# which goes first, each round into a fresh destination docker-registry (so nothing can be
# mounted or skipped from an earlier round; skopeo also gets a fresh HOME for its blob cache).
#
#   bench/copy.sh [ROUNDS]        (default 3; build first: cargo build --release)
#
# Scenarios:
#   bulk  ~500 MB image of 8 incompressible layers, registry to registry on loopback; also a
#         parallel curl GET->PUT of the same blobs (the destination's ingest ceiling)
#   wan   4-platform index, 12 layers of 1 MB per platform, both registries behind a proxy
#         adding 20 ms each way and capping 200 Mbit/s per direction (bench/wanproxy.py)
#   noop  the same copy again when everything is already there (loopback and wan)
#   rss   peak RSS of rctl during the bulk copy (/usr/bin/time -v)
#
# Environment: RCTL (binary, default target/release/rctl), JOBS (rctl --jobs, default: rctl's),
# BULK_MB (default 500), BULK_LAYERS (8), DELAY_MS (20), RATE_MBIT (200), WAN (1; 0 skips the
# long link). `BULK_MB=2000 BULK_LAYERS=1 WAN=0 bench/copy.sh 1` checks that RSS stays flat.
set -euo pipefail

ROUNDS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
RCTL=${RCTL:-$REPO/target/release/rctl}
BULK_MB=${BULK_MB:-500}
DELAY_MS=${DELAY_MS:-20}
RATE_MBIT=${RATE_MBIT:-200}
WAN=${WAN:-1}
BULK_LAYERS=${BULK_LAYERS:-8}
JOBS_ARG=()
if [ -n "${JOBS:-}" ]; then JOBS_ARG=(--jobs "$JOBS"); fi

WORK=$(mktemp -d /tmp/rctl-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export XDG_DATA_HOME=$WORK/rctl-data XDG_CONFIG_HOME=$WORK/rctl-config DOCKER_CONFIG=$WORK/docker
export REGISTRY_AUTH_FILE=$WORK/auth.json NO_COLOR=1

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2
  if [ -n "${2:-}" ]; then cat "$2" >&2; fi
  exit 1
}

# start_registry NAME: sets PORT and PID; the log is $WORK/NAME.log
start_registry() {
  local name=$1
  PORT=$(free_port)
  mkdir -p "$WORK/$name"
  cat >"$WORK/$name.yml" <<YAML
version: 0.1
log: {level: info, formatter: text, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/$name}, maintenance: {uploadpurging: {enabled: false}}}
http: {addr: 127.0.0.1:$PORT, secret: bench}
YAML
  # docker-registry reads REGISTRY_* variables as configuration.
  env -u REGISTRY_AUTH_FILE docker-registry serve "$WORK/$name.yml" >"$WORK/$name.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  wait_port "$PORT" "$WORK/$name.log"
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# start_proxy TARGET_PORT: sets PROXY_PORT and PROXY_PID
start_proxy() {
  PROXY_PORT=$(free_port)
  python3 "$HERE/wanproxy.py" "$PROXY_PORT" "$1" "$DELAY_MS" "$RATE_MBIT" &
  PROXY_PID=$!
  PIDS+=("$PROXY_PID")
  wait_port "$PROXY_PORT"
}

requests() { grep -c "response completed" "$1" || true; }

now() { echo "$EPOCHREALTIME"; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

skopeo_copy() {
  HOME=$WORK/skopeo-home-$RANDOM$RANDOM skopeo copy --all --quiet \
    --src-tls-verify=false --dest-tls-verify=false "docker://$1" "docker://$2" >/dev/null
}

echo "generating images in $WORK" >&2
LAYER_BYTES=$((BULK_MB * 1000 * 1000 / BULK_LAYERS))
python3 "$HERE/mkimage.py" "$WORK/bulk" 1 "$BULK_LAYERS" "$LAYER_BYTES" >/dev/null
python3 "$HERE/mkimage.py" "$WORK/wan" 4 12 1000000 >/dev/null
start_registry src
SRC=$PORT
HOME=$WORK/skopeo-home-src skopeo copy --all --quiet --dest-tls-verify=false \
  "oci:$WORK/bulk:v1" "docker://127.0.0.1:$SRC/bench/bulk:v1"
HOME=$WORK/skopeo-home-src skopeo copy --all --quiet --dest-tls-verify=false \
  "oci:$WORK/wan:v1" "docker://127.0.0.1:$SRC/bench/wan:v1"
BULK_DIGESTS=$(python3 -c "
import json,sys
idx=json.load(open('$WORK/bulk/index.json'))['manifests'][0]['digest'].split(':')[1]
m=json.load(open('$WORK/bulk/blobs/sha256/'+idx))
print(' '.join([m['config']['digest']]+[l['digest'] for l in m['layers']]))")
WAN_BLOBS=$(( 4 * 13 ))

declare -a BULK_RCTL BULK_SKOPEO BULK_CURL WAN_RCTL WAN_SKOPEO NOOP_LOCAL NOOP_WAN RSS WAN_REQS NOOP_REQS

bulk_rctl() {
  start_registry "dst-$1"
  local t0; t0=$(now)
  /usr/bin/time -v -o "$WORK/time.txt" "$RCTL" copy -q "${JOBS_ARG[@]}" \
    "127.0.0.1:$SRC/bench/bulk:v1" "127.0.0.1:$PORT/bench/bulk:v1"
  BULK_RCTL+=("$(elapsed "$t0" "$(now)")")
  RSS+=("$(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/time.txt")")
  t0=$(now)
  "$RCTL" copy -q "127.0.0.1:$SRC/bench/bulk:v1" "127.0.0.1:$PORT/bench/bulk:v1"
  NOOP_LOCAL+=("$(elapsed "$t0" "$(now)")")
  stop "$PID"
}

bulk_skopeo() {
  start_registry "dst-$1"
  local t0; t0=$(now)
  skopeo_copy "127.0.0.1:$SRC/bench/bulk:v1" "127.0.0.1:$PORT/bench/bulk:v1"
  BULK_SKOPEO+=("$(elapsed "$t0" "$(now)")")
  stop "$PID"
}

bulk_curl() {
  start_registry "dst-$1"
  local t0 pipes=() digest; t0=$(now)
  for digest in $BULK_DIGESTS; do
    (
      location=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$PORT/v2/bench/bulk/blobs/uploads/" |
        awk 'tolower($1)=="location:" {print $2}' | tr -d '\r')
      case $location in /*) location=http://127.0.0.1:$PORT$location ;; esac
      curl -s "http://127.0.0.1:$SRC/v2/bench/bulk/blobs/$digest" |
        curl -s -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' -T - \
          "$location&digest=$digest"
    ) &
    pipes+=("$!")
  done
  wait "${pipes[@]}"
  BULK_CURL+=("$(elapsed "$t0" "$(now)")")
  for digest in $BULK_DIGESTS; do
    curl -sf -o /dev/null -I "http://127.0.0.1:$PORT/v2/bench/bulk/blobs/$digest" ||
      echo "warning: the curl ceiling run did not upload $digest" >&2
  done
  stop "$PID"
}

wan_rctl() {
  start_registry "dst-$1"
  start_proxy "$SRC"; local src_proxy=$PROXY_PORT src_proxy_pid=$PROXY_PID
  start_proxy "$PORT"; local dst_proxy=$PROXY_PORT dst_proxy_pid=$PROXY_PID
  local before; before=$(requests "$WORK/src.log")
  local t0; t0=$(now)
  "$RCTL" copy -q "${JOBS_ARG[@]}" "127.0.0.1:$src_proxy/bench/wan:v1" "127.0.0.1:$dst_proxy/bench/wan:v1"
  WAN_RCTL+=("$(elapsed "$t0" "$(now)")")
  local total=$(( $(requests "$WORK/src.log") - before + $(requests "$WORK/dst-$1.log") ))
  WAN_REQS+=("$(python3 -c "print(f'{$total / $WAN_BLOBS:.2f}')")")
  before=$(( $(requests "$WORK/src.log") + $(requests "$WORK/dst-$1.log") ))
  t0=$(now)
  "$RCTL" copy -q "127.0.0.1:$src_proxy/bench/wan:v1" "127.0.0.1:$dst_proxy/bench/wan:v1"
  NOOP_WAN+=("$(elapsed "$t0" "$(now)")")
  NOOP_REQS+=("$(( $(requests "$WORK/src.log") + $(requests "$WORK/dst-$1.log") - before ))")
  stop "$src_proxy_pid"; stop "$dst_proxy_pid"; stop "$PID"
}

wan_skopeo() {
  start_registry "dst-$1"
  start_proxy "$SRC"; local src_proxy=$PROXY_PORT src_proxy_pid=$PROXY_PID
  start_proxy "$PORT"; local dst_proxy=$PROXY_PORT dst_proxy_pid=$PROXY_PID
  local t0; t0=$(now)
  skopeo_copy "127.0.0.1:$src_proxy/bench/wan:v1" "127.0.0.1:$dst_proxy/bench/wan:v1"
  WAN_SKOPEO+=("$(elapsed "$t0" "$(now)")")
  stop "$src_proxy_pid"; stop "$dst_proxy_pid"; stop "$PID"
}

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  if [ $((round % 2)) -eq 1 ]; then
    bulk_rctl "r$round-a"; bulk_skopeo "r$round-b"; bulk_curl "r$round-c"
    [ "$WAN" = 1 ] && { wan_rctl "r$round-d"; wan_skopeo "r$round-e"; }
  else
    bulk_skopeo "r$round-b"; bulk_curl "r$round-c"; bulk_rctl "r$round-a"
    [ "$WAN" = 1 ] && { wan_skopeo "r$round-e"; wan_rctl "r$round-d"; }
  fi
done

b_rctl=$(median "${BULK_RCTL[@]}"); b_skopeo=$(median "${BULK_SKOPEO[@]}"); b_curl=$(median "${BULK_CURL[@]}")
echo "rctl copy benchmark: $ROUNDS rounds, medians in seconds (rctl $("$RCTL" --version | awk '{print $2}'), $(skopeo --version))"
echo "bulk ${BULK_MB} MB, ${BULK_LAYERS} layers, loopback:  rctl $b_rctl   skopeo $b_skopeo   curl ceiling $b_curl"
echo "  rctl/skopeo $(ratio "$b_rctl" "$b_skopeo")   ceiling/rctl $(ratio "$b_curl" "$b_rctl") (share of the ceiling reached)"
if [ "$WAN" = 1 ]; then
  w_rctl=$(median "${WAN_RCTL[@]}"); w_skopeo=$(median "${WAN_SKOPEO[@]}")
  echo "wan 4x12x1 MB, ${DELAY_MS} ms each way, ${RATE_MBIT} Mbit/s:  rctl $w_rctl   skopeo $w_skopeo   rctl/skopeo $(ratio "$w_rctl" "$w_skopeo")"
  echo "  requests per blob (rctl, both registries): $(median "${WAN_REQS[@]}")"
  echo "already there: loopback $(median "${NOOP_LOCAL[@]}") s; wan $(median "${NOOP_WAN[@]}") s with $(median "${NOOP_REQS[@]}") requests"
else
  echo "already there: loopback $(median "${NOOP_LOCAL[@]}") s"
fi
echo "peak RSS of rctl copy (bulk): $(median "${RSS[@]}") kB   (all rounds: ${RSS[*]})"
echo "all rounds: bulk rctl ${BULK_RCTL[*]} | skopeo ${BULK_SKOPEO[*]} | curl ${BULK_CURL[*]}"
if [ "$WAN" = 1 ]; then echo "            wan rctl ${WAN_RCTL[*]} | skopeo ${WAN_SKOPEO[*]}"; fi
