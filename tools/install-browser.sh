#!/usr/bin/env bash
# Install Debian's chromium and a CJK font (Chinese renders as boxes without one) if they are missing.
# The browser tests drive /usr/bin/chromium with Playwright; they never download a browser of their own.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list :lang=zh 2>/dev/null | grep -q .; then
  exit 0
fi
exec bash "$(dirname "$0")/apt-install.sh" install-browser chromium fonts-wqy-microhei
