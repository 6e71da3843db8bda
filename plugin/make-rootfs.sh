#!/bin/sh
# Builds the managed plugin's rootfs (`make plugin`) from a native dnp: the executable, the shared libraries
# it links (found with ldd, copied at the paths the loader looks for them: libc, libm), the loader itself, the
# OpenSSL libraries .NET loads at run time for TLS to etcd/Consul (dlopen, so ldd does not list them), and
# the few empty directories the plugin and runc expect. No package manager, no shell, no Docker build.
# usage: make-rootfs.sh DNP_EXECUTABLE ROOTFS_DIR
set -eu
dnp=$1
rootfs=$2

copy_lib() {
	# Keep the path the loader searches; copy the file a symlink points to under the symlink's name.
	mkdir -p "$rootfs$(dirname "$1")"
	cp -L "$1" "$rootfs$1"
}

rm -rf "$rootfs"
mkdir -p "$rootfs/usr/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/run/docker/plugins" "$rootfs/var/lib/dnp" \
	"$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
chmod 1777 "$rootfs/tmp"
ln -s ../run "$rootfs/var/run"
install -m 0755 "$dnp" "$rootfs/usr/bin/dnp"
# Beside the executable: native libraries the publish could not link in (none expected).
for extra in "$(dirname "$dnp")"/*.so; do
	[ -e "$extra" ] && install -m 0644 "$extra" "$rootfs/usr/bin/"
done

linked=$(ldd "$dnp" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }')
for lib in $linked; do
	copy_lib "$lib"
done

# OpenSSL is opened with dlopen by System.Security.Cryptography.Native (TLS to the store).
for name in libssl.so.3 libcrypto.so.3; do
	path=$(ldconfig -p | awk -v n="$name" '$1 == n && /x86-64/ { print $NF; exit }')
	[ -n "$path" ] || { echo "make-rootfs: $name not found (apt-get install libssl3)" >&2; exit 1; }
	copy_lib "$path"
done

printf 'root:x:0:0:root:/:/usr/bin/dnp\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
