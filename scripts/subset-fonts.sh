#!/usr/bin/env bash
# Regenerates the fonts embedded in Tillit's PDF reports: DejaVu Sans and
# DejaVu Sans Bold from Debian's fonts-dejavu-core (2.37), cut to the Latin
# script, punctuation, currency signs, arrows and check marks, so that every
# report embeds about a tenth of the full font. The output is committed
# (src-tauri/report/pdf/fonts/); the build needs nothing of this. Needs Python 3
# and network access to the Python package registry for fontTools.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${TMPDIR:-/tmp}/tillit-fonttools
[ -x "$venv/bin/pyftsubset" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q fonttools==4.68.0; }

# Basic Latin, Latin-1, Latin Extended-A and -B, IPA-free combining marks,
# Latin Extended Additional, general punctuation, currency, letterlike
# symbols, arrows, the minus sign, geometric shapes and the check marks.
unicodes="U+0020-007E,U+00A0-024F,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2212,U+2264-2265,U+25A0-25FF,U+2713-2718"

for face in DejaVuSans DejaVuSans-Bold; do
  "$venv/bin/pyftsubset" "/usr/share/fonts/truetype/dejavu/$face.ttf" \
    --unicodes="$unicodes" --layout-features='' --no-hinting --desubroutinize \
    --name-IDs='*' --name-legacy --name-languages='*' \
    --output-file="src-tauri/report/pdf/fonts/$face.ttf"
done
ls -l src-tauri/report/pdf/fonts/*.ttf
