#!/usr/bin/env bash
# Wrap the PyInstaller one-folder build into an AppImage (x86_64), on Linux.
#
#   pyinstaller --noconfirm --clean packaging/helpdesk-desktop.spec
#   APPIMAGETOOL=/path/to/appimagetool packaging/linux/build-appimage.sh [dist/helpdesk-desktop]
#
# appimagetool is the AppImage project's own tool (https://github.com/AppImage/appimagetool
# releases); download it once and point APPIMAGETOOL at it. Build on the oldest distribution
# you support (glibc is not bundled): Debian 12 or Ubuntu 22.04.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bundle="${1:-$root/dist/helpdesk-desktop}"
tool="${APPIMAGETOOL:-appimagetool}"
version="$(python3 -c "import re,sys; print(re.search(r'__version__ = \"(.+?)\"', open(sys.argv[1]).read())[1])" "$root/helpdesk_desktop/__init__.py")"
appdir="$(mktemp -d)/HelpDeskDesktop.AppDir"

mkdir -p "$appdir/usr/lib" "$appdir/usr/bin" "$appdir/usr/share/applications" \
         "$appdir/usr/share/metainfo"
cp -a "$bundle" "$appdir/usr/lib/helpdesk-desktop"
ln -s ../lib/helpdesk-desktop/helpdesk-desktop "$appdir/usr/bin/helpdesk-desktop"
cp -a "$here/icons" "$appdir/usr/share/icons"
cp "$here/helpdesk-desktop.desktop" "$appdir/usr/share/applications/"
cp "$here/helpdesk-desktop.desktop" "$appdir/"
cp "$here"/*.metainfo.xml "$appdir/usr/share/metainfo/"
cp "$here/icons/hicolor/256x256/apps/helpdesk-desktop.png" "$appdir/helpdesk-desktop.png"
cat > "$appdir/AppRun" <<'RUN'
#!/bin/sh
here="$(dirname "$(readlink -f "$0")")"
exec "$here/usr/lib/helpdesk-desktop/helpdesk-desktop" "$@"
RUN
chmod +x "$appdir/AppRun"
ARCH=x86_64 "$tool" "$appdir" "$root/dist/HelpDeskDesktop-$version-x86_64.AppImage"
echo "$root/dist/HelpDeskDesktop-$version-x86_64.AppImage"
