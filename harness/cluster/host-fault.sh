#!/bin/sh
# A node fault made from inside the cluster, as chaos tools do on clusters without Docker: run by
# a short-lived privileged pod on the node (host PID and network namespaces; busybox), it acts on
# the node through nsenter into PID 1's namespaces, so the node's own systemctl and iptables do
# the work. harness/cluster/node-pod.ts starts it; what it changes carries the same marks as the
# Docker path's (harness/cluster/node-container.ts), so either path finds and undoes the other's.
#
#   host-fault.sh fault kubelet-stop|partition HOLD_S   make it, hold it, undo it, verify
#   host-fault.sh restore                                undo whatever is left, verify
#   host-fault.sh inspect                                say what is changed
#
# While a fault holds, nothing can reach the pod (the kubelet is stopped, or the node cut off),
# so the pod undoes it itself after HOLD_S seconds; a TERM (the pod deleted before that) undoes
# it at once. Exit 0: undone and verified; 3: the fault could not be made (undone); 4: not undone.
set -u

tag=sts-conformance-partition

# The node's own tools, wherever its distribution keeps them (the pod's PATH has busybox's alone).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
host() { nsenter -t 1 -m -u -i -n -p -- "$@"; }

# The firewalls of the node that work (a node without IPv6 may have no usable ip6tables).
firewalls() {
  for fw in iptables ip6tables; do
    host "$fw" -S >/dev/null 2>&1 && echo "$fw"
  done
}

# The interfaces the node's traffic leaves by: those of its default routes (eth0 on kind).
uplinks() {
  { host ip -4 route show default; host ip -6 route show default; } 2>/dev/null |
    sed -n 's/.* dev \([^ ]*\).*/\1/p' | sort -u
}

tagged_rules() { host "$1" -S | grep -- "--comment $tag" || true; }

partition_on() {
  devs=$(uplinks)
  [ -n "$devs" ] || { echo "no default route: nothing to cut"; return 1; }
  fws=$(firewalls)
  [ -n "$fws" ] || { echo "no working iptables or ip6tables on the node"; return 1; }
  for fw in $fws; do
    for dev in $devs; do
      for rule in "INPUT -i" "OUTPUT -o" "FORWARD -i" "FORWARD -o"; do
        # shellcheck disable=SC2086 # the chain and its direction flag, two words
        host "$fw" -I $rule "$dev" -m comment --comment "$tag" -j DROP || return 1
      done
    done
  done
  echo "partitioned: every packet in or out of $(echo "$devs" | tr '\n' ' ')dropped ($(echo "$fws" | tr '\n' ' '| sed 's/ $//'))"
}

partition_off() {
  for fw in $(firewalls); do
    tagged_rules "$fw" | sed 's/^-A /-D /' | while read -r rule; do
      # shellcheck disable=SC2086 # the rule as iptables -S printed it, word by word
      host "$fw" $rule
    done
  done
}

kubelet_state() { host systemctl is-active kubelet 2>/dev/null || true; }

undo_all() {
  partition_off
  [ "$(kubelet_state)" = active ] || host systemctl start kubelet
}

# What is changed, a line each; nothing when the node is as the suite found it.
changes() {
  state=$(kubelet_state)
  [ "$state" = active ] || echo "its kubelet is $state"
  n=0
  for fw in $(firewalls); do n=$((n + $(tagged_rules "$fw" | grep -c .))); done
  [ "$n" -eq 0 ] || echo "$n partition rule(s) in place"
}

verified() {
  left=$(changes)
  [ -z "$left" ] && echo "undone: kubelet active, no partition rule" && return 0
  echo "not undone: $left"
  return 1
}

case "${1:-}" in
  fault)
    kind=${2:?fault kind} hold=${3:?hold seconds}
    trap 'undo_all; verified; exit 143' TERM INT
    case "$kind" in
      kubelet-stop) host systemctl stop kubelet && echo "kubelet stopped" ;;
      partition) partition_on ;;
      *) echo "unknown fault $kind"; false ;;
    esac || { undo_all; verified; exit 3; }
    sleep "$hold" &
    wait $!
    undo_all
    verified || exit 4
    ;;
  restore) undo_all; verified || exit 4 ;;
  inspect) changes ;;
  *) echo "usage: host-fault.sh fault KIND HOLD_S | restore | inspect" >&2; exit 2 ;;
esac
