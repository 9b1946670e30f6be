#!/usr/bin/env bash
# make test: headless Chromium with a CJK font, docker-compose (to validate the
# compose file), gettext (to compile translations) and nginx (deploy/nginx/default.conf is
# run in front of gunicorn by tests/deploy/test_nginx.py and `make loadtest`), from Debian's packages.
set -eu
missing=()
for pkg in chromium fonts-wqy-microhei docker-compose gettext nginx; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing Debian packages: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# docker-compose recommends the Docker engine, which is not wanted here.
for pkg in "${missing[@]}"; do
  if [ "$pkg" = docker-compose ]; then
    apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  else
    apt-get install -y -qq "$pkg" >/dev/null
  fi
done
