#!/bin/bash
# Fetches the newer Docker engines the end-to-end suite also runs on (DNP_TEST_ENGINE=26|28) and Docker Compose v2,
# as Debian packages of newer suites, into a cache: downloaded with apt-get through a separate sources list and
# separate lists/cache folders, then unpacked with dpkg -x. Nothing is installed over the system's packages
# (bookworm's docker.io 20.10 stays the default engine, and bookworm's runc serves every engine).
#
#   fetch-engines.sh [CACHE]   (default /var/cache/dnp-test/engines)
#
# CACHE/<major>/usr/{bin,sbin}/  dockerd, containerd, containerd-shim-runc-v2, docker-proxy, docker-init, docker
# CACHE/<major>/VERSION          the docker.io package version unpacked there
# CACHE/compose/usr/libexec/docker/cli-plugins/docker-compose
# A folder with a VERSION file is complete: a second run downloads nothing.
set -euo pipefail
cache=${1:-/var/cache/dnp-test/engines}
mirror=${DNP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# apt-get with its own sources list, lists and cache for one suite (the system's apt state is neither read nor written).
suite_apt() {
  local suite=$1; shift
  local dir=$cache/apt/$suite
  "apt-get" -qq -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" -o Dir::State::status=/dev/null \
    -o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root "$@"
}

updated=""
suite_update() {
  local suite=$1 dir=$cache/apt/$1
  case " $updated " in *" $suite "*) return ;; esac
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
  echo "deb [signed-by=$keyring] $mirror $suite main" > "$dir/sources.list"
  suite_apt "$suite" update
  updated="$updated $suite"
}

# The newest version of PACKAGE in SUITE whose upstream version starts with PREFIX (e.g. "28."), or "".
pick_version() {
  local suite=$1 package=$2 prefix=$3
  apt-cache -o Dir::Etc::sourcelist="$cache/apt/$suite/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$cache/apt/$suite/lists" -o Dir::Cache="$cache/apt/$suite/cache" -o Dir::State::status=/dev/null \
    madison "$package" | awk -v p="$prefix" '{ v=$3; sub(/^[0-9]+:/, "", v); if (index(v, p) == 1) { print $3; exit } }'
}

# Downloads PACKAGE=VERSION... of SUITE and unpacks them into TARGET (replaced atomically); VERSION file last.
unpack() {
  local suite=$1 target=$2 label=$3; shift 3
  local debs=$cache/apt/$suite/debs tmp="$target.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  (cd "$debs" && suite_apt "$suite" download "$@")
  for spec in "$@"; do
    local name=${spec%%=*} version=${spec#*=}
    local deb; deb=$(ls "$debs/${name}_${version#*:}_"*.deb 2>/dev/null | head -n1)
    [ -n "$deb" ] || { echo "fetch-engines: ${name} ${version} was not downloaded" >&2; exit 1; }
    dpkg -x "$deb" "$tmp"
    rm -f "$deb"
  done
  echo "$label" > "$tmp/VERSION"
  rm -rf "$target" && mv "$tmp" "$target"
}

# engine MAJOR SUITE: docker.io MAJOR.x and the containerd beside it in SUITE.
engine() {
  local major=$1 suite=$2 target=$cache/$1
  if [ -s "$target/VERSION" ] && [ -x "$target/usr/sbin/dockerd" ]; then return; fi
  suite_update "$suite"
  local docker containerd
  docker=$(pick_version "$suite" docker.io "$major.")
  containerd=$(pick_version "$suite" containerd "")
  [ -n "$docker" ] || { echo "fetch-engines: $suite has no docker.io $major.x (see $cache/apt/$suite)" >&2; exit 1; }
  [ -n "$containerd" ] || { echo "fetch-engines: $suite has no containerd" >&2; exit 1; }
  local packages=("docker.io=$docker" "containerd=$containerd")
  # Newer suites ship the client as docker-cli; take it too when it exists (a client that knows the engine's flags).
  local cli; cli=$(pick_version "$suite" docker-cli "")
  [ -z "$cli" ] || packages+=("docker-cli=$cli")
  unpack "$suite" "$target" "docker.io $docker containerd $containerd" "${packages[@]}"
  echo "engine $major: $(cat "$target/VERSION") in $target"
}

compose() {
  local suite=sid target=$cache/compose
  if [ -s "$target/VERSION" ] && [ -x "$target/usr/libexec/docker/cli-plugins/docker-compose" ]; then return; fi
  suite_update "$suite"
  local version; version=$(pick_version "$suite" docker-compose "2.")
  [ -n "$version" ] || { echo "fetch-engines: $suite has no docker-compose 2.x" >&2; exit 1; }
  unpack "$suite" "$target" "docker-compose $version" "docker-compose=$version"
  echo "compose: $(cat "$target/VERSION") in $target"
}

mkdir -p "$cache"
engine 26 trixie
engine 28 sid
compose
