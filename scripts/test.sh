#!/usr/bin/env bash
# `npm test`: every test, in order of speed. Needs nothing but `npm install` first; installs the
# system packages it needs (Chromium) when it can.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
started=$SECONDS
step() { echo; echo "=== $* ($((SECONDS - started))s)"; }

step "system packages"
bash scripts/ensure-system-deps.sh

step "typecheck"
npm run --silent typecheck

step "lint"
npm run --silent lint

step "unit and integration tests"
npx vitest run

step "end-to-end tests (Playwright, Chromium)"
# A hung browser or server must not hold CI for its whole time budget.
timeout --kill-after=30 1500 npx playwright test

echo; echo "=== all tests passed in $((SECONDS - started))s"
