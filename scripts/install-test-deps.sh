#!/usr/bin/env bash
# Installs the real peers the integration tests run against, from Debian's packages:
# docker-registry (distribution 2.8), skopeo, podman, gnome-keyring under D-Bus, htpasswd,
# openssl and curl. Installs only what is missing; needs root (or sudo).
set -euo pipefail

packages=(docker-registry skopeo podman gnome-keyring dbus dbus-daemon libsecret-tools
          apache2-utils openssl curl ca-certificates)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "installing test dependencies: ${missing[*]}" >&2
# docker-registry's package starts a system service on :5000 unless service starts are denied.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
