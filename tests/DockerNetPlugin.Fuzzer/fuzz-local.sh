#!/usr/bin/env bash
# `make fuzz`: serves bin/dnp on a throwaway socket inside a throwaway network namespace (embedded store in a temp
# dir, replication off: no dockerd needed), runs the fuzzer against it, then checks what is left: overlay
# namespaces, dnp devices, and (after a kill -9, so lease-bound records stay countable) store records.
# Usage: fuzz-local.sh COUNT SEED [PARALLEL]. Needs root (network namespaces). Exit 0 only when all is clean.
set -euo pipefail
count=${1:-5000}
seed=${2:-1}
parallel=${3:-4}
repo=$(cd "$(dirname "$0")/../.." && pwd)
dnp=${DNP_BINARY:-$repo/bin/dnp}
fuzzer=(dotnet "$repo/tests/DockerNetPlugin.Fuzzer/bin/Release/net10.0/DockerNetPlugin.Fuzzer.dll")
run=$(mktemp -d /run/dnp-fuzz.XXXXXX)
ns="dnpfuzz-${run##*.}"
pid=

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; wait "$pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add fz0 type veth peer name fz1
ip -n "$ns" link set fz1 up
ip -n "$ns" addr add 192.168.250.1/24 dev fz0
ip -n "$ns" link set fz0 up

ip netns exec "$ns" env DNP_SOCKET="$run/dnp.sock" DNP_STORE="file://$run/store" DNP_STATE_DIR="$run/state" \
  DNP_NETNS_DIR="$run/netns" DNP_ADVERTISE_ADDR=192.168.250.1 DNP_REPLICATE=false DNP_LOG_LEVEL=warn \
  "$dnp" serve >"$run/plugin.log" 2>&1 &
pid=$!
for _ in $(seq 150); do [ -S "$run/dnp.sock" ] && break; sleep 0.2; done

rc=0
"${fuzzer[@]}" --socket "$run/dnp.sock" --count "$count" --seed "$seed" --parallel "$parallel" || rc=$?

namespaces=$(ls -A "$run/netns" 2>/dev/null || true)
devices=$(ip -n "$ns" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^(dnpc|vx-|veth)' || true)
echo "kernel: $(wc -w <<<"$namespaces") leftover overlay namespace(s), $(wc -w <<<"$devices") leftover dnp device(s) ${namespaces}${devices:+ $devices}"
[ -z "$namespaces$devices" ] || rc=1
if ! kill -0 "$pid" 2>/dev/null; then echo "the plugin is not running any more:"; tail -20 "$run/plugin.log"; rc=1; fi

kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=
"${fuzzer[@]}" --check-store "$run/store" --check-store "$run/state/local" || rc=1
if grep -aq ' ERR \| FTL ' "$run/plugin.log"; then echo "plugin errors logged:"; grep -a ' ERR \| FTL ' "$run/plugin.log" | head -20; fi
exit $rc
