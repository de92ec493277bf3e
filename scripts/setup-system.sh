#!/bin/sh
# System packages the test suite needs beyond npm: Chromium for the viewer's browser tests
# (src/app/e2e, driven by playwright-core with WebGL on SwiftShader). Debian/Ubuntu, run as root.
# Idempotent: does nothing when Chromium is already installed.
set -eu
if [ ! -x /usr/bin/chromium ]; then
  apt-get update
  apt-get install -y chromium
fi
