#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs the test dependencies, checks formatting and
# lints, then runs every test with a real Secret Service (gnome-keyring under its own D-Bus
# session). The tests start every other server they use on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh
cargo fmt --check
cargo clippy --all-targets -- -D warnings
dbus-run-session -- scripts/with-keyring.sh cargo test --all-targets
