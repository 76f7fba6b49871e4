#!/usr/bin/env bash
# Install Debian's fonts-wqy-microhei if no font with Chinese characters is installed. The build draws each Chinese
# page's preview image (tools/preview_cards.py) with such a font and stops, naming this package, without one.
# Elsewhere than Debian/Ubuntu: install any CJK font, or set PREVIEW_CJK_FONT=/path/to/font.
set -euo pipefail
if [ -n "${PREVIEW_CJK_FONT:-}" ] || fc-list :lang=zh 2>/dev/null | grep -q .; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-fonts: no font with Chinese characters found and no apt-get: install a CJK font" \
       "(e.g. Noto Sans CJK) or set PREVIEW_CJK_FONT=/path/to/font.ttc" >&2
  exit 1
fi
exec bash "$(dirname "$0")/apt-install.sh" install-fonts fonts-wqy-microhei
