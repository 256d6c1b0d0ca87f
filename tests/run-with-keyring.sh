#!/bin/sh
# run-with-keyring.sh PROGRAM [ARGUMENT…]
#
# Runs PROGRAM with a keyring of its own, as the tests that store
# passwords need: a private D-Bus session bus (dbus-run-session), GNOME
# Keyring's Secret Service on it, and a temporary HOME with the XDG
# folders inside, removed afterwards. The user's own keyring, bus and
# files are never touched.
#
# The keyring is unlocked with a non-empty password: GNOME Keyring writes a
# keyring whose password is empty unencrypted, and the tests check that no
# password reaches the disk in clear.
#
# PROGRAM sees SINGLY_KEYRING_ROOT, the temporary folder that holds
# everything (HOME is $SINGLY_KEYRING_ROOT/home).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

unlock_password="singly-test-unlock-password"

if [ "${SINGLY_KEYRING_INSIDE:-}" != 1 ]; then
  for program in dbus-run-session dbus-send gnome-keyring-daemon; do
    if ! command -v "$program" >/dev/null 2>&1; then
      # TAP: the whole program is skipped, not failed
      echo "1..0 # SKIP $program is not installed"
      exit 0
    fi
  done

  root=$(mktemp -d "${TMPDIR:-/tmp}/singly-keyring-XXXXXX")
  trap 'rm -rf "$root"' EXIT
  trap 'exit 1' INT TERM
  mkdir -p "$root/home/.config" "$root/home/.local/share" "$root/home/.local/state" \
           "$root/home/.cache" "$root/runtime"
  chmod 700 "$root/home" "$root/runtime"

  SINGLY_KEYRING_INSIDE=1
  SINGLY_KEYRING_ROOT=$root
  HOME=$root/home
  XDG_CONFIG_HOME=$root/home/.config
  XDG_DATA_HOME=$root/home/.local/share
  XDG_STATE_HOME=$root/home/.local/state
  XDG_CACHE_HOME=$root/home/.cache
  XDG_RUNTIME_DIR=$root/runtime
  export SINGLY_KEYRING_INSIDE SINGLY_KEYRING_ROOT HOME XDG_CONFIG_HOME XDG_DATA_HOME \
         XDG_STATE_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR
  # no X server to talk to, and no prompt to show
  unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

  status=0
  dbus-run-session -- "$0" "$@" || status=$?
  exit "$status"
fi

# On the private bus: the daemon forks, and is ready when this returns.
# It prints variables for a login session, which the Secret Service over
# D-Bus does not need.
# G_DEBUG=fatal-warnings is for the test, not for the daemon, which warns
# about things of its own.
printf '%s' "$unlock_password" | env -u G_DEBUG gnome-keyring-daemon --unlock --components=secrets >/dev/null

# It takes the Secret Service's name on the bus a moment later; asking
# before then would have the bus start a second, locked daemon
owner() {
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | awk '{ print $2 }'
}
tries=0
while [ "$(owner)" != true ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ]; then
    echo "Bail out! gnome-keyring-daemon did not start the Secret Service"
    exit 1
  fi
  sleep 0.1
done

# Its process, by its name on the bus, to stop it before its folder goes
pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets |
      awk '{ print $2 }')

status=0
"$@" || status=$?

if [ -n "$pid" ]; then
  kill "$pid" 2>/dev/null || true
  # gone, or a zombie waiting for a parent that never reaps it
  tries=0
  while kill -0 "$pid" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null &&
        [ "$tries" -lt 50 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
fi
exit "$status"
