#!/usr/bin/env bash
# System packages the tests need that npm cannot provide: a Chromium for Playwright, and OpenLDAP's
# slapd (plus ldap-utils) as the real directory the linked-group provisioning tests write to.
# Installs it with apt-get when we are root; otherwise stops at once, saying what to install.
set -euo pipefail

have_playwright_browser() {
  node -e 'const fs=require("fs");const p=require("playwright-core").chromium.executablePath();process.exit(p&&fs.existsSync(p)?0:1)' 2>/dev/null
}

missing=()
if ! have_playwright_browser && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if ! command -v slapd >/dev/null 2>&1 && [ ! -x /usr/sbin/slapd ]; then missing+=(slapd ldap-utils); fi

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[test] installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "[test] missing system packages: ${missing[*]}" >&2
  echo "[test] install them first, e.g.: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
