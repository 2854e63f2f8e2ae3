#!/bin/sh
# Run a command with a real, unlocked Secret Service: gnome-keyring's secrets component on the
# current D-Bus session bus. Meant to run inside `dbus-run-session`, which gives the command (and
# the keyring daemon) a private session bus that goes away with it:
#
#     dbus-run-session -- scripts/with-keyring.sh cargo test --test it
#
# The login keyring is created (or unlocked) with a throwaway password read from stdin, so no
# prompt ever appears. The daemon lives in a private HOME-independent data directory.
set -eu

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    echo "error: no D-Bus session bus; run as: dbus-run-session -- $0 COMMAND..." >&2
    exit 2
fi
if [ "$#" -eq 0 ]; then
    echo "usage: dbus-run-session -- $0 COMMAND [ARGS...]" >&2
    exit 2
fi

# gnome-keyring keeps its keyrings under $XDG_DATA_HOME/keyrings; use a fresh directory so a
# developer's own keyrings are never touched.
keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/rctl-keyring.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT

# --unlock reads the password from stdin; the daemon forks and prints its environment.
eval "$(printf '%s' 'rctl-test-keyring' |
    XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# The daemon claims its bus name after the launcher returns. Wait for it, or the first client
# would make the bus start a second, locked daemon through D-Bus activation.
tries=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q 'boolean true'; do
    tries=$((tries + 1))
    if [ "$tries" -ge 100 ]; then
        echo "error: gnome-keyring-daemon did not appear on the session bus" >&2
        exit 1
    fi
    sleep 0.1
done

"$@"
