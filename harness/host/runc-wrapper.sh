#!/bin/bash
# OCI runtime wrapper for hosts whose capability bounding set lacks CAP_SYS_RESOURCE: runc fails
# with "unable to apply caps" when a container (every privileged kind node) asks for it. Strip it
# from the bundle's config.json (create/run) and from the --process file (exec), then run runc.
strip() { # FILE JQ_PATH_OF_CAPABILITIES
  [[ -f $1 ]] || return 0
  local tmp="$1.sts-tmp"
  jq "if $2 then $2 |= with_entries(.value |= map(select(. != \"CAP_SYS_RESOURCE\"))) else . end" "$1" >"$tmp" && mv "$tmp" "$1"
}
cmd="" bundle="" process=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a=${args[i]}
  case $a in
    create | run | exec) [[ -z $cmd ]] && cmd=$a ;;
    --bundle | -b) bundle=${args[i + 1]} ;;
    --bundle=*) bundle=${a#--bundle=} ;;
    --process | -p) process=${args[i + 1]} ;;
    --process=*) process=${a#--process=} ;;
  esac
done
case $cmd in
  create | run) strip "${bundle:-.}/config.json" .process.capabilities ;;
  exec) [[ -n $process ]] && strip "$process" .capabilities ;;
esac
exec /usr/sbin/runc "$@"
