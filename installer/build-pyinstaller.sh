#!/usr/bin/env bash
# One-folder build of the three programs into dist/hall-cashier/, then a smoke test of the build:
# it starts without a Python installation, --version works, the GUI opens offscreen on a demo hall.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m pip install -q 'pyinstaller>=6.3,<7'
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller installer/cashier.spec

APP=dist/hall-cashier
SMOKE=$(mktemp -d)
trap 'rm -rf "$SMOKE"' EXIT
# No Python: an empty environment with only the build on PATH.
env -i HOME="$SMOKE" LANG=C.UTF-8 PATH=/usr/bin:/bin "$APP/cashier-admin" version
env -i HOME="$SMOKE" LANG=C.UTF-8 PATH=/usr/bin:/bin "$APP/cashier" --version
env -i HOME="$SMOKE" LANG=C.UTF-8 PATH=/usr/bin:/bin "$APP/cashier-upstream" --help >/dev/null
env -i HOME="$SMOKE" LANG=C.UTF-8 PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen "$APP/cashier" --demo --data-dir "$SMOKE/demo" --smoke-test
env -i HOME="$SMOKE" LANG=C.UTF-8 PATH=/usr/bin:/bin "$APP/cashier-admin" --data-dir "$SMOKE/demo" doctor
# The build upgrades every kept older database (its migrations travel inside it).
for kept in tests/data/schema_v*.db; do
    dir="$SMOKE/upgrade-$(basename "$kept" .db)"
    mkdir -p "$dir" && cp "$kept" "$dir/cashier.db"
    env -i HOME="$SMOKE" LANG=C.UTF-8 PATH=/usr/bin:/bin "$APP/cashier-admin" --data-dir "$dir" init
    env -i HOME="$SMOKE" LANG=C.UTF-8 PATH=/usr/bin:/bin "$APP/cashier-admin" --data-dir "$dir" doctor >/dev/null
done
echo "PyInstaller build OK: $APP ($(du -sh "$APP" | cut -f1))"
