#!/bin/sh
# kind's load balancer in front of an HA control plane, made by Debian's haproxy. kind runs the
# image it knows (envoy's) as `envoy -c /home/envoy/envoy.yaml` and writes envoy's dynamic config
# beside it: cds.yaml (the API servers, as `address:` and `port_value:` pairs) and lds.yaml. This
# stands in for envoy: it renders cds.yaml as haproxy's config, runs haproxy in master-worker mode,
# and reloads it (SIGUSR2) whenever kind rewrites the file.
set -eu
dir=/home/envoy
cfg=/tmp/haproxy.cfg
port=6443 # kind's API server port inside the control-plane nodes and the load balancer

render() {
  {
    printf 'global\n  master-worker\n  log stdout format raw local0 info\n'
    printf 'defaults\n  mode tcp\n  log global\n  option tcplog\n  timeout connect 5s\n  timeout client 1h\n  timeout server 1h\n'
    printf 'frontend apiserver\n  bind *:%s\n  default_backend control-plane\n' "$port"
    printf 'backend control-plane\n  option httpchk GET /healthz\n  http-check expect status 200\n  default-server init-addr libc,none\n'
    # each endpoint: an `address:` line, then its `port_value:` line
    awk '/address:/ && $2 !~ /^0\.0\.0\.0$/ {host=$2} /port_value:/ && host != "" {print host, $2; host=""}' \
      "$dir/cds.yaml" 2>/dev/null | tr -d '"' | while read -r host p; do
      printf '  server %s %s:%s check check-ssl verify none inter 2s fall 2 rise 1\n' "$host" "$host" "$p"
    done
  } >"$cfg.new"
  mv "$cfg.new" "$cfg"
}

stamp() { cat "$dir/cds.yaml" "$dir/lds.yaml" 2>/dev/null | cksum; }

render
last=$(stamp)
haproxy -W -db -f "$cfg" &
master=$!
trap 'kill -TERM "$master" 2>/dev/null; wait "$master"; exit 0' TERM INT
while kill -0 "$master" 2>/dev/null; do
  sleep 1
  now=$(stamp)
  if [ "$now" != "$last" ]; then
    last=$now
    render
    haproxy -c -q -f "$cfg" && kill -USR2 "$master"
  fi
done
wait "$master"
