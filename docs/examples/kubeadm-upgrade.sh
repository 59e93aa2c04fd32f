#!/usr/bin/env bash
# An operator's runbook for a kubeadm upgrade of an HA cluster, with nothing of sts-conformance in
# it: the suite's upgrade gate runs around it (`upgrade prepare` and `upgrade watch` before,
# `upgrade check` after; docs/upgrade.md). As kubeadm's documentation orders it:
#   1. `kubeadm upgrade apply V` on the first control plane;
#   2. `kubeadm upgrade node` on each other control plane;
#   3. node by node, control planes first: `kubectl drain` (evictions: PodDisruptionBudgets
#      respected), `kubeadm upgrade node` (workers), the new kubelet and kubectl, the kubelet
#      restarted, Ready at V, `kubectl uncordon`.
# The new version's kubeadm, kubelet and kubectl must be on every node first (packages; on the
# suite's kind clusters: `sts-conformance cluster stage --to V [--shape prod]`).
#
#   KUBECONFIG=… docs/examples/kubeadm-upgrade.sh V
#
# NODE_EXEC runs a command on a node, given the node's name (default: `docker exec`, for kind's
# nodes; `ssh` for machines whose hostnames are their node names). BIN: where the new binaries are
# on the nodes (default /kind/upgrade/V, where `cluster stage` puts them).
#
# It can be run again after a failure: what is at V already is skipped (a control plane whose API
# server's manifest names V, a node whose kubelet is at V and is not cordoned). Through the load
# balancer, a restarted API server may answer before its authorizer is ready (403 for a few
# seconds): kubectl calls that meet that are retried for a minute.
#
# CARELESS=1 runs the same upgrade badly, as the gate must catch: after the control plane, every
# node but the first control plane drained at once with --disable-eviction (pods deleted, their
# PodDisruptionBudgets bypassed), then upgraded.
set -euo pipefail

to=${1:?usage: kubeadm-upgrade.sh VERSION (vX.Y.Z)}
bin=${BIN:-/kind/upgrade/$to}
read -r -a node_exec <<<"${NODE_EXEC:-docker exec}"
say() { printf '[runbook %s] %s\n' "$(date +%T)" "$*"; }
logs=${LOG_DIR:-$(mktemp -d)}
mkdir -p "$logs"
on() { # on NODE COMMAND: a command on a node, through NODE_EXEC; its output kept in $logs, a failure ends the runbook
  local node=$1 log
  shift
  log="$logs/$(printf '%s' "$node-$*" | tr -c 'A-Za-z0-9.-' '_' | cut -c1-80).log"
  "${node_exec[@]}" "$node" sh -c "$*" >"$log" 2>&1 || {
    echo "runbook: on $node, '$*' failed: $(tail -3 "$log" | tr '\n' ' ') (all of it: $log)" >&2
    exit 1
  }
}

k() { # kubectl, retried for a minute while the API server is away or refuses (403) after a restart
  local tries=0 err
  err=$(mktemp)
  until kubectl "$@" 2>"$err"; do
    if ! grep -qE 'Forbidden|connection refused|Unable to connect|EOF|ServiceUnavailable' "$err" || ((++tries >= 20)); then
      cat "$err" >&2
      rm -f "$err"
      return 1
    fi
    sleep 3
  done
  rm -f "$err"
}

mapfile -t control_planes < <(kubectl get nodes -l node-role.kubernetes.io/control-plane -o name | sed 's|^node/||' | sort)
mapfile -t workers < <(kubectl get nodes -l '!node-role.kubernetes.io/control-plane' -o name | sed 's|^node/||' | sort)
((${#control_planes[@]} > 0)) || {
  echo "runbook: no node is labelled node-role.kubernetes.io/control-plane" >&2
  exit 2
}
first=${control_planes[0]}
preflight=--ignore-preflight-errors=SystemVerification # kind's nodes: a kernel kubeadm does not know

# whether a control plane's static pods are at $to already (a run that failed after it)
control_plane_at_to() { "${node_exec[@]}" "$1" grep -q "kube-apiserver:$to" /etc/kubernetes/manifests/kube-apiserver.yaml; }
# whether a node's turn is done: its kubelet at $to, and not cordoned
node_done() { [[ $(k get node "$1" -o jsonpath='{.status.nodeInfo.kubeletVersion}/{.spec.unschedulable}') == "$to/" ]]; }

if control_plane_at_to "$first"; then
  say "1. $first: at $to already"
else
  say "1. kubeadm upgrade apply $to on $first"
  on "$first" "$bin/kubeadm upgrade apply $to --yes $preflight"
fi
for cp in "${control_planes[@]:1}"; do
  if control_plane_at_to "$cp"; then
    say "2. $cp: at $to already"
    continue
  fi
  say "2. kubeadm upgrade node on $cp"
  on "$cp" "$bin/kubeadm upgrade node $preflight"
done

# the new kubelet and kubectl on a node, the kubelet restarted, Ready at the new version
kubelet_up() {
  local node=$1 deadline=$((SECONDS + 300))
  on "$node" "install -m 0755 $bin/kubelet $bin/kubectl /usr/bin/ && systemctl daemon-reload && systemctl restart kubelet"
  until [[ $(kubectl get node "$node" -o jsonpath='{.status.nodeInfo.kubeletVersion}/{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == "$to/True" ]]; do
    ((SECONDS < deadline)) || {
      echo "runbook: $node not Ready at $to within 300 s" >&2
      exit 1
    }
    sleep 2
  done
}

drain=(k drain --ignore-daemonsets --delete-emptydir-data --timeout=600s)
is_worker() { [[ " ${workers[*]} " == *" $1 "* ]]; }
if [[ ${CARELESS:-0} == 1 ]]; then
  rest=("${control_planes[@]:1}" "${workers[@]}")
  say "3. CARELESS: ${rest[*]} drained at once, --disable-eviction (budgets bypassed)"
  for node in "${rest[@]}"; do "${drain[@]}" --disable-eviction "$node" >/dev/null & done
  wait
  for node in "${rest[@]}"; do
    if is_worker "$node"; then on "$node" "$bin/kubeadm upgrade node $preflight"; fi
    kubelet_up "$node"
  done
  k uncordon "${rest[@]}" >/dev/null
  "${drain[@]}" "$first" >/dev/null
  kubelet_up "$first"
  k uncordon "$first" >/dev/null
else
  for node in "${control_planes[@]}" "${workers[@]}"; do
    if node_done "$node"; then
      say "3. $node: at $to already"
      continue
    fi
    started=$SECONDS
    "${drain[@]}" "$node" >/dev/null
    if is_worker "$node"; then on "$node" "$bin/kubeadm upgrade node $preflight"; fi
    kubelet_up "$node"
    k uncordon "$node" >/dev/null
    say "3. $node: drained, upgraded, uncordoned in $((SECONDS - started)) s"
  done
fi
say "every node at $to (the nodes' output: $logs)"
