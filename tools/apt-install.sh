#!/usr/bin/env bash
# apt-install.sh WHO PACKAGE...: install Debian packages with apt-get, as root or through sudo, or say what to run.
# Shared by install-browser.sh and install-fonts.sh, which decide first whether anything is missing.
set -euo pipefail
who=$1; shift
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "$who: need root or sudo to run: apt-get install $*" >&2; exit 1; }
  sudo=sudo
fi
echo "$who: installing $* with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
