#!/bin/sh
# Runs an application test the way a desktop session runs the window: in
# its own X server (xvfb-run) and D-Bus session, with a home of its own so
# that journals, caches and settings never touch the user's.
#
# usage: run-under-x.sh SERVERNUM PROGRAM [ARGUMENT…]
#
# SERVERNUM is where xvfb-run starts looking for a free display: tests
# that run side by side start from different numbers, so that they do not
# race for the same one.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

servernum=$1
shift

home=$(mktemp -d "${TMPDIR:-/tmp}/singly-app-test-XXXXXX")
trap 'rm -rf "$home"' EXIT INT TERM

export HOME="$home"
export XDG_CONFIG_HOME="$home/.config"
export XDG_CACHE_HOME="$home/.cache"
export XDG_DATA_HOME="$home/.local/share"
export XDG_STATE_HOME="$home/.local/state"
export XDG_RUNTIME_DIR="$home/runtime"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"

export GDK_BACKEND=x11
export GSK_RENDERER=cairo
export LIBGL_ALWAYS_SOFTWARE=1
export NO_AT_BRIDGE=1
export GTK_A11Y=none
export GSETTINGS_BACKEND=memory
# WebKit's web process sandbox needs user namespaces, which containers
# that run the tests often lack; nothing it loads comes from outside.
export WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS=1
export WEBKIT_DISABLE_COMPOSITING_MODE=1

exec xvfb-run -a -n "$servernum" -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session --config-file="$(dirname "$0")/session.conf" -- "$@"
