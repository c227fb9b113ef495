#!/usr/bin/env bash
# Install the built .deb, run doctor from the installed package, remove it, check the data stayed.
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=$(ls dist/hall-cashier_*.deb | head -1)
DATA=$(mktemp -d)
apt-get install -y -q "./$DEB"
/usr/bin/cashier-admin --data-dir "$DATA" init
/usr/bin/cashier-admin --data-dir "$DATA" doctor
QT_QPA_PLATFORM=offscreen /usr/bin/cashier --data-dir "$DATA" --smoke-test
apt-get remove -y -q hall-cashier
[ ! -e /opt/hall-cashier ] || { echo "test-deb: /opt/hall-cashier left behind" >&2; exit 1; }
[ -s "$DATA/cashier.db" ] || { echo "test-deb: the data folder was touched by the removal" >&2; exit 1; }
echo "deb install / doctor / remove OK; data kept in $DATA"
