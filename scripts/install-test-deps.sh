#!/usr/bin/env bash
# Installs what the tests need and a fresh machine may lack: PostgreSQL server binaries, Chromium for
# the browser tests, and axe-core for the accessibility scans. Quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg.sh

need_apt=()
pg_find_bin >/dev/null 2>&1 || need_apt+=(postgresql postgresql-contrib)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The reports' PDF is drawn in DejaVu Sans, with every Kazakh letter.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
# The tests' mail server on loopback (tests/Shared/smtp_sink.py), for the follow emails.
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || need_apt+=(python3-aiosmtpd)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]}..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f tests/Ashyq.Registry.BrowserTests/package.json ] && [ ! -d tests/Ashyq.Registry.BrowserTests/node_modules/axe-core ]; then
  echo "Installing axe-core..."
  (cd tests/Ashyq.Registry.BrowserTests && npm ci --no-audit --no-fund --silent)
fi

if [ -f tests/api-lint/package.json ] && [ ! -x tests/api-lint/node_modules/.bin/redocly ]; then
  echo "Installing the API document's linter..."
  (cd tests/api-lint && npm ci --no-audit --no-fund --silent)
fi
