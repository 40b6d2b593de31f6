#!/bin/sh
# Container entrypoint: when started as root (the default), give the data folder to the `node`
# user — a host folder mounted there is often owned by root — and run the command as `node`.
# `exec` keeps the command as PID 1's direct replacement, so it receives SIGTERM itself.
set -e
if [ "$(id -u)" = "0" ]; then
  data="${DATA_DIR:-/app/data}"
  mkdir -p "$data"
  if [ "$(stat -c %U "$data")" != "node" ]; then
    chown -R node:node "$data" || echo "docker-entrypoint: cannot give $data to the node user; the app may not be able to write it" >&2
  fi
  exec setpriv --reuid=node --regid=node --init-groups -- "$@"
fi
exec "$@"
