#!/usr/bin/env bash
# Install Debian's chromium and a CJK font (Chinese renders as boxes without one) if they are missing.
# The browser tests drive /usr/bin/chromium with Playwright; they never download a browser of their own.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list :lang=zh 2>/dev/null | grep -q .; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-browser: need root or sudo to run: apt-get install chromium fonts-wqy-microhei" >&2; exit 1; }
  sudo=sudo
fi
echo "install-browser: installing chromium and fonts-wqy-microhei with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
