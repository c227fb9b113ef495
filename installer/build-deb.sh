#!/usr/bin/env bash
# Debian package for UOS / Kylin (and Debian) from the PyInstaller build: dist/hall-cashier_VERSION_ARCH.deb.
# Self-contained (its own Python and Qt under /opt/hall-cashier); the system libraries Qt needs and a
# CJK font are declared as dependencies. Removing the package never touches the data folders.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x dist/hall-cashier/cashier ] || { echo "build-deb: run installer/build-pyinstaller.sh first" >&2; exit 2; }
VERSION=$(dist/hall-cashier/cashier --version | awk '{print $2}')
ARCH=$(dpkg --print-architecture)
STAGE=build/deb/hall-cashier_${VERSION}_${ARCH}
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/doc/hall-cashier"
cp -a dist/hall-cashier "$STAGE/opt/hall-cashier"
for program in cashier cashier-admin cashier-upstream; do
    ln -s "/opt/hall-cashier/$program" "$STAGE/usr/bin/$program"
done
cp installer/hall-cashier.png "$STAGE/usr/share/icons/hicolor/256x256/apps/hall-cashier.png"
cat > "$STAGE/usr/share/applications/hall-cashier.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Counter cashier
Name[zh_CN]=供电营业厅收费柜台
Comment=Electricity bill payments at the service hall counter
Comment[zh_CN]=电费收费、打印收据、交班对账
Exec=/opt/hall-cashier/cashier
Icon=hall-cashier
Terminal=false
Categories=Office;Finance;
DESKTOP
cat > "$STAGE/usr/share/doc/hall-cashier/copyright" <<COPYRIGHT
Counter cashier for electricity service halls. Proprietary.
Bundled: Python, Qt for Python (LGPL-3.0), SQLAlchemy, FastAPI, reportlab, python-escpos and others,
each under its own licence (see /opt/hall-cashier/_internal/*.dist-info).
COPYRIGHT
SIZE=$(du -sk "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: hall-cashier
Version: $VERSION
Architecture: $ARCH
Maintainer: Counter cashier team <cashier@example.invalid>
Installed-Size: $SIZE
Section: misc
Priority: optional
Depends: libc6, libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libdbus-1-3, libglib2.0-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-randr0, libxcb-render-util0, libxcb-image0, fonts-wqy-microhei | fonts-noto-cjk
Recommends: fonts-hanazono, speech-dispatcher, speech-dispatcher-espeak-ng, espeak-ng, libpulse0
Description: counter cashier for electricity service halls (供电营业厅收费柜台)
 Bill payments at the counter with receipts on ESC/POS printers, shift
 reconciliation, and exactly-once sync with the utility's billing system.
 Data lives in each user's data folder and is kept when the package is removed.
CONTROL
cat > "$STAGE/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q /usr/share/icons/hicolor || true; fi
POSTINST
chmod 0755 "$STAGE/DEBIAN/postinst"
mkdir -p dist
dpkg-deb --root-owner-group -Zgzip --build "$STAGE" "dist/hall-cashier_${VERSION}_${ARCH}.deb"
echo "built dist/hall-cashier_${VERSION}_${ARCH}.deb"
