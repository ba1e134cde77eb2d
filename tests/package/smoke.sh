#!/usr/bin/env bash
# The package as a user installs it: installs the .deb found in the folder given with apt,
# checks what it declares (every shared library the binary loads comes from a declared
# dependency or one of theirs) and what it installs (both binaries, desktop entry, icon), drives the
# installed binary through the smoke journey (tests/e2e/journey.mjs with YUNWEI_SMOKE=1), and
# removes the package again.
# Usage: tests/package/smoke.sh target/debug/bundle/deb
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
debs=("$1"/*.deb)
[ -f "${debs[0]}" ] || { echo "no .deb in $1"; exit 1; }
deb=$(cd "$(dirname "${debs[-1]}")" && pwd)/$(basename "${debs[-1]}")
fail() { echo "package smoke: $*" >&2; exit 1; }

package=$(dpkg-deb -f "$deb" Package)
depends=$(dpkg-deb -f "$deb" Depends)
echo "$package $(dpkg-deb -f "$deb" Version): Depends: $depends"
for needed in libwebkit2gtk-4.1-0 libgtk-3-0; do
  grep -qw "$needed" <<<"$depends" || fail "$needed is not declared"
done

DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
  -o DPkg::Lock::Timeout=600 "$deb" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -q "$package" >/dev/null || true' EXIT

bin=/usr/bin/yunwei
for b in "$bin" /usr/bin/yunwei-cli; do [ -x "$b" ] || fail "$b not installed"; done
files=$(dpkg -L "$package")
desktop=$(grep -m1 '\.desktop$' <<<"$files" || true)
[ -n "$desktop" ] || fail "no desktop entry"
desktop-file-validate "$desktop" || fail "$desktop does not validate"
grep -q '^Exec=yunwei' "$desktop" || fail "$desktop does not start yunwei"
grep -q '^Name\[zh_CN\]=运维台$' "$desktop" || fail "$desktop has no Chinese name"
icon=$(sed -n 's/^Icon=//p' "$desktop")
grep -q "/icons/hicolor/.*/apps/$icon.png" <<<"$files" || fail "no icon named $icon"

# Every library the binary loads belongs to a package the declared ones bring (libc6 and the
# other essential packages apart), so a clean machine gets them all with apt.
mapfile -t declared < <(sed 's/([^)]*)//g; s/|/,/g; s/,/\n/g' <<<"$depends" | tr -d ' ' | grep .)
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${declared[@]}" | grep -v '^ ' | sed 's/:.*//' | sort -u)
essential=$(dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' | awk '$2 == "yes" || $3 == "required" {print $1}' \
  | sed 's/:.*//')
# The package owning a file, by the name ldconfig gives or the file it points to, under /lib or
# /usr/lib (Debian 12 merges them; packages list either).
owner_of() {
  local p q o
  for p in "$1" "$(readlink -f "$1")"; do
    for q in "$p" "${p/#\/usr\/lib\//\/lib\/}" "${p/#\/lib\//\/usr\/lib\/}"; do
      o=$(dpkg -S "$q" 2>/dev/null | awk -F: 'NR == 1 {print $1}') && [ -n "$o" ] && { echo "$o"; return; }
    done
  done
  return 1
}
libraries=$(ldconfig -p)
missing=()
while read -r lib; do
  path=$(awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}' <<<"$libraries")
  [ -n "$path" ] || fail "$lib not found on this machine"
  owner=$(owner_of "$path") || fail "no package owns $path"
  grep -qxF "$owner" <<<"$closure"$'\n'"$essential" || missing+=("$lib ($owner)")
done < <(objdump -p "$bin" | awk '/NEEDED/ {print $2}')
[ ${#missing[@]} -eq 0 ] || fail "libraries from packages not declared: ${missing[*]}"
echo "the binary's $(objdump -p "$bin" | awk '/NEEDED/' | wc -l) libraries all come with the declared dependencies"

"$bin" --version
/usr/bin/yunwei-cli --version
YUNWEI_SMOKE=1 "$root/tests/e2e/run.sh" "$bin"
