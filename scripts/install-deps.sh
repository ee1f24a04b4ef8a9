#!/usr/bin/env bash
# Installs the Debian 12 packages govsim needs to build, test and analyse.
# Idempotent: when every package is present it only runs dpkg-query (well under a second).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libboost-graph-dev libtbb-dev libhdf5-dev hdf5-tools
  catch2 libyaml-cpp-dev libcli11-dev libfmt-dev libspdlog-dev librandom123-dev
  python3 python3-h5py python3-numpy python3-pandas python3-xarray python3-netcdf4 python3-matplotlib
  clang-format clang-tidy clang libclang-rt-14-dev udunits-bin chromium fonts-dejavu-core
  libopenmpi-dev openmpi-bin netcdf-bin
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: must run as root (or via sudo) to install packages" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq; then
  echo "install-deps: 'apt-get update' failed; check the network or /etc/apt/sources.list" >&2
  exit 1
fi
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/govsim-apt.log 2>&1; then
  echo "install-deps: 'apt-get install' failed; last lines of /tmp/govsim-apt.log:" >&2
  tail -n 20 /tmp/govsim-apt.log >&2
  exit 1
fi
echo "install-deps: done"
