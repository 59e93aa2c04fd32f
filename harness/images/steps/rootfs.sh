# shellcheck shell=bash
# Debian root filesystems from the bookworm archive, as tarballs for `docker import`.

debian_mirror() { # the mirror this host's apt already uses, so both see the same archive
  awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit} /^deb / && $3 ~ /\/debian\/?$/ {print $3; exit}' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true
}

# debootstrap_tar PACKAGES: a minbase bookworm with PACKAGES, without apt lists or caches.
debootstrap_tar() {
  local root="$OUT/root" mirror
  mirror=$(debian_mirror)
  debootstrap --variant=minbase --include="${1// /,}" "$DEBIAN_SUITE" "$root" "${mirror:-http://deb.debian.org/debian}"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  # an image that only runs a program (DEBOOTSTRAP_PRUNE=1) needs no documentation, man pages or locales
  [[ -z ${DEBOOTSTRAP_PRUNE:-} ]] || rm -rf "$root"/usr/share/{doc,man,info,locale}/*
  chroot "$root" dpkg-query -W >"$OUT/packages.txt"
  tar -C "$root" --numeric-owner -cf "$OUT/rootfs.tar" .
  rm -rf "$root"
}

build_node_rootfs() { debootstrap_tar "$NODE_PACKAGES"; }
build_iptables_rootfs() { debootstrap_tar "$IPTABLES_PACKAGES"; }

rootfs_steps() {
  run_step node-rootfs "$(cache_key "$DEBIAN_SUITE" "$NODE_PACKAGES")" build_node_rootfs
  run_step iptables-rootfs "$(cache_key "$DEBIAN_SUITE" "$IPTABLES_PACKAGES")" build_iptables_rootfs
}
