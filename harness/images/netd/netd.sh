#!/bin/bash
# sts netd: pod networking for the air-gapped kind nodes (kindnetd's module is not obtainable here).
# All nodes share one layer-2 docker network, so pods need only: a CNI config on this node for its
# own podCIDR (ptp + host-local), and on every node a route to each other node's podCIDR via that
# node's address. It re-syncs on every Node watch event, and on a timer as a safety net.
set -uo pipefail

CNI_CONF=/etc/cni/net.d/10-sts.conflist
RESYNC_SECONDS=${RESYNC_SECONDS:-60}

log() { echo "netd: $*"; }

write_cni_conf() { # CIDR
  local tmp="$CNI_CONF.tmp"
  cat >"$tmp" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "sts",
  "plugins": [
    {
      "type": "ptp",
      "ipMasq": false,
      "ipam": {
        "type": "host-local",
        "dataDir": "/run/cni-ipam-state",
        "routes": [{"dst": "0.0.0.0/0"}],
        "ranges": [[{"subnet": "$1"}]]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
  if ! cmp -s "$tmp" "$CNI_CONF"; then
    mv "$tmp" "$CNI_CONF"
    log "wrote $CNI_CONF for $1"
  else
    rm -f "$tmp"
  fi
}

sync_nodes() {
  local nodes name cidr ip
  nodes=$(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.podCIDR}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}') || return 1
  while read -r name cidr ip; do
    [[ -n $cidr && -n $ip ]] || continue
    if [[ $name == "$NODE_NAME" ]]; then
      write_cni_conf "$cidr"
    elif [[ $(ip route show "$cidr") != *"via $ip "* ]]; then
      ip route replace "$cidr" via "$ip" && log "route $cidr via $ip ($name)"
    fi
  done <<<"$nodes"
}

log "node $NODE_NAME, pod subnet ${POD_SUBNET:-unknown}"
while :; do
  sync_nodes || log "cannot list nodes yet; retrying"
  # Block until the next Node event (or the resync timeout), then sync again.
  timeout "$RESYNC_SECONDS" kubectl get nodes --watch-only -o name 2>/dev/null | head -n1 >/dev/null
  sleep 1 # coalesce bursts of node updates and avoid a hot loop when the API is down
done
