#!/usr/bin/env bash
# Refresh the vendored copy of Det Fælles Designsystem (npm package "dkfds").
#
#   scripts/refresh_dkfds.sh            # the version in static/vendor/dkfds/VERSION
#   scripts/refresh_dkfds.sh 11.3.0     # another version
#
# Takes the compiled, neutral theme only (not the borger.dk / virk.dk themes), the JS, the
# woff2 fonts, the icons and the licence. The CSS's @font-face rules are cut down to woff2
# and its source-map comments removed, so that every url() it holds is a file we ship
# (collectstatic's manifest storage refuses a reference to a file that is not there).
# Needs npm and python3. Review the diff and the pages before committing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/static/vendor/dkfds"
version=${1:-$(cat "$dest/VERSION" 2>/dev/null || echo latest)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "dkfds@$version" >/dev/null && tar xzf dkfds-*.tgz)
pkg="$work/package"
actual=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$pkg/package.json")

rm -rf "$dest"
mkdir -p "$dest/css" "$dest/js" "$dest/fonts/IBMPlexSans/complete/woff2" "$dest/img"
cp "$pkg/dist/css/dkfds.min.css" "$dest/css/"
cp "$pkg/dist/js/dkfds.min.js" "$dest/js/"
cp "$pkg"/dist/fonts/IBMPlexSans/complete/woff2/*.woff2 "$dest/fonts/IBMPlexSans/complete/woff2/"
cp "$pkg/dist/fonts/IBMPlexSans/complete/woff2/license.txt" "$dest/fonts/IBMPlexSans/" 2>/dev/null || true
cp -r "$pkg/dist/img/svg-icons" "$dest/img/"
cp "$pkg/dist/img/all-svg-icons.svg" "$pkg/dist/img/logo-placeholder.png" "$pkg/dist/img/logo-header-placeholder.png" "$dest/img/"
cp "$pkg/LICENSE.md" "$dest/LICENSE.md"
echo "$actual" > "$dest/VERSION"

python3 - "$dest" <<'PY'
import re, sys, pathlib
dest = pathlib.Path(sys.argv[1])
css_path = dest / "css" / "dkfds.min.css"
css = css_path.read_text(encoding="utf-8")

def woff2_only(match):
    if "url(" not in match.group(0):
        return match.group(0)  # local() system fonts: nothing to ship
    urls = re.findall(r'url\(([^)]*\.woff2)\)\s*format\("woff2"\)', match.group(0))
    if not urls:
        raise SystemExit("an @font-face rule without woff2: " + match.group(0)[:120])
    return re.sub(r'src:[^;}]*', f'src:url({urls[0]}) format("woff2")', match.group(0))

css = re.sub(r'@font-face\{[^}]*\}', woff2_only, css)
css = re.sub(r'/\*# sourceMappingURL=[^*]*\*/', '', css)
css_path.write_text(css, encoding="utf-8")
js_path = dest / "js" / "dkfds.min.js"
js = js_path.read_text(encoding="utf-8")
js_path.write_text(re.sub(r'//# sourceMappingURL=\S+', '', js), encoding="utf-8")

missing = []
for ref in sorted(set(re.findall(r'url\(([^)"\']+)\)', css))):
    if ref.startswith("data:"):
        continue
    if not (css_path.parent / ref).resolve().exists():
        missing.append(ref)
if missing:
    raise SystemExit("dkfds.min.css refers to files that are not vendored: " + ", ".join(missing))
PY
echo "dkfds $actual vendored into ${dest#"$here"/}"
