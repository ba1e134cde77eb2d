# Yunwei — one entry point for set-up, build, run and every check.
#   make run    install what is missing, build, start the app on its embedded SQLite
#   make test   install what is missing, check formatting, lints and types, then run every test
#               (Rust, UI, end-to-end under Xvfb); the Rust test build runs Clippy as it compiles
#   make check  the same as make test
#   make dist   the installable packages (.deb, .rpm) from the release build
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

APT_PACKAGES := build-essential pkg-config curl wget file libwebkit2gtk-4.1-dev libxdo-dev \
	libssl-dev libayatana-appindicator3-dev librsvg2-dev xvfb xauth imagemagick \
	webkit2gtk-driver poppler-utils zbar-tools libnss3-tools xdotool dbus-daemon procps \
	desktop-file-utils sqlite3 postgresql openssl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TOOLS := $(CURDIR)/.tools
TAURI := ui/node_modules/.bin/tauri
APP := target/debug/yunwei
RELEASE_APP := target/release/yunwei
UI_SOURCES := $(shell find ui/src ui/public -type f) ui/index.html ui/vite.config.ts ui/tsconfig.json

.PHONY: help deps system-deps run app release ui test lint test-rust test-ui e2e package-smoke check clippy fmt bindings \
	screenshot clean bench-report fuzz-verify dist

help:
	@echo "make run    - install what is missing, build and start Yunwei"
	@echo "make test   - install what is missing and run every test"
	@echo "make lint   - rustfmt --check, vue-tsc, ESLint (make test runs it first; clippy runs in its build)"
	@echo "make e2e    - the end-to-end journey only (under Xvfb)"
	@echo "make dist   - the .deb and .rpm packages from the release build (target/release/bundle/)"

## Set-up ----------------------------------------------------------------------------------

deps: system-deps ui/node_modules/.installed tests/e2e/node_modules/.installed $(TOOLS)/bin/tauri-driver \
	$(TOOLS)/venv/.installed

# Debian packages for WebKitGTK, the WebDriver, Xvfb and the PDF and signature checkers
# (poppler-utils: pdfsig; libnss3-tools: certutil for the trust store; xdotool: the e2e journey
# drives the native file dialog; dbus-daemon: a session bus for the single-instance guard;
# postgresql and openssl: the team server's tests run against a real one, over TLS).
# Installed only if missing.
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  $(SUDO) apt-get update -q -o DPkg::Lock::Timeout=600; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends \
	    -o DPkg::Lock::Timeout=600 $$missing; \
	fi

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-fund --no-audit
	touch $@

tests/e2e/node_modules/.installed: tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-fund --no-audit
	touch $@

# pyHanko: a second, independent validator of the signed PDFs, and a recipient's countersigner.
$(TOOLS)/venv/.installed: tests/pyhanko/requirements.txt
	python3 -m venv $(TOOLS)/venv
	$(TOOLS)/venv/bin/pip install -q --disable-pip-version-check -r tests/pyhanko/requirements.txt
	touch $@

$(TOOLS)/bin/tauri-driver:
	cargo install tauri-driver --version '^2' --locked --debug --root $(TOOLS)

## Build -----------------------------------------------------------------------------------

ui/dist/index.html: ui/node_modules/.installed $(UI_SOURCES)
	cd ui && npm run build

ui: ui/dist/index.html

# The test build lints as it compiles: clippy-driver (rustc plus Clippy's lints, the same
# output) compiles our crates, every target, with warnings denied, so a clippy finding fails the
# build. A separate `cargo clippy` would check every dependency a second time (11 min cold on
# 2 cores). Dependencies compile with plain rustc: the wrapper changes only our crates'
# fingerprints, so a plain `cargo test` afterwards rebuilds just those. (CLIPPY_ARGS is how
# `cargo clippy -- -D warnings` hands its arguments to clippy-driver.)
LINTED := RUSTC_WORKSPACE_WRAPPER="$$(rustc --print sysroot)/bin/clippy-driver" CLIPPY_ARGS=-Dwarnings

# The app with the UI embedded as the tests build it (unoptimised but for the dependencies the
# tests run hard: see Cargo.toml): the binaries the Rust tests build are the ones the e2e journey and
# the package smoke drive, so Tauri and the dependencies compile once per run. Always asked of
# cargo (an up-to-date build takes seconds).
app: system-deps ui/dist/index.html
	$(LINTED) cargo test --workspace --all-targets --locked --no-run

# What a user runs: the optimised build of both binaries, in one cargo run so that their
# dependencies compile once.
release: system-deps ui/dist/index.html
	cargo build --release --locked --workspace --bins

run: release
	$(RELEASE_APP)

# The installable packages, from the release build: target/release/bundle/deb/*.deb and
# target/release/bundle/rpm/*.rpm with both binaries (the app and yunwei-cli), the icon, the
# desktop entry and the declared dependencies. Install with
# `sudo apt install ./target/release/bundle/deb/Yunwei_*.deb`.
dist: release
	$(TAURI) bundle --bundles deb rpm

## Tests -----------------------------------------------------------------------------------

test: deps
	$(MAKE) lint test-rust test-ui e2e package-smoke

# What CI relies on, before any test: unformatted code, a type error or an ESLint finding fails
# `make test` (a clippy finding fails the build `app`: see LINTED). `make clippy` runs
# `cargo clippy` alone.
lint: ui/node_modules/.installed
	cargo fmt --all --check
	cd ui && npm run typecheck && npm run lint

clippy: ui/dist/index.html
	cargo clippy --workspace --all-targets --locked -- -D warnings

# The tests of the linted build (the same environment, so nothing recompiles).
# The team server's tests run against a real PostgreSQL: a throw-away cluster, stopped after.
test-rust: app
	url=$$(tests/pg/cluster.sh start) && export YUNWEI_TEST_PG="$$url" && \
	  { $(LINTED) cargo test --workspace --locked; rc=$$?; tests/pg/cluster.sh stop; exit $$rc; }

test-ui: ui/node_modules/.installed
	cd ui && npm test

e2e: deps app
	tests/e2e/run.sh $(CURDIR)/$(APP)

# The package as a user installs it: the .deb packed from the test build (the release build
# would add a second full compile to every run; `make dist` packs the same files from it),
# installed with apt, its declared dependencies and files checked, and the installed binary
# driven through a short journey (start, create an incident, sign a report). Removed after.
package-smoke: deps app
	$(TAURI) bundle --debug --bundles deb --config src-tauri/tauri.debug-package.json
	tests/package/smoke.sh target/debug/bundle/deb

check: test

fmt:
	cargo fmt --all

## Maintenance -----------------------------------------------------------------------------

# The signed-report benchmark and its baseline (the same report printed by headless Chromium,
# installed here only: the tests do not need it).
bench-report: system-deps
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends chromium; }
	cargo bench -p yunwei-core --bench report

# The verifier's property test at full size: 100,000 damaged, truncated, appended and re-signed
# copies of a real signed report (make test runs 2,000). YUNWEI_VERIFY_SEED picks another run.
fuzz-verify:
	YUNWEI_VERIFY_CASES=100000 cargo test --release -p yunwei-core --lib damaged_copies -- --nocapture

# Rewrites ui/src/bindings/index.ts from the Rust types.
bindings: ui/dist/index.html
	UPDATE_BINDINGS=1 cargo test -p yunwei --test bindings

# Runs the journey and keeps its last screen as the README's screenshot.
screenshot: deps app
	UPDATE_SCREENSHOT=1 tests/e2e/run.sh $(CURDIR)/$(APP)

clean:
	rm -rf target ui/dist ui/node_modules tests/e2e/node_modules tests/e2e/screenshots $(TOOLS)
