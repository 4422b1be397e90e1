#!/usr/bin/env bash
# Makes the test workbooks that another office program saved: each CSV sample of the contract opened in
# LibreOffice Calc as a person would open it (its own guess of numbers and dates, so BINs become numbers and
# lose their leading zeros, and joining dates become date cells) and saved as .xlsx; one more with the BIN
# column opened as text. The results are committed under tests/Ashyq.Registry.Core.Tests/Exports/Samples/
# (office-*.xlsx); run this again only to remake them. Needs Debian's libreoffice-calc-nogui (installed if
# missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=tests/Ashyq.Registry.Core.Tests/Exports/Samples
command -v soffice >/dev/null || { apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Calc's CSV options: separator, quote, character set (76 = UTF-8), first line, column formats
# (column/format pairs; 2 = text), language of the guesses (1049 = Russian, 1087 = Kazakh).
convert() { # source csv (UTF-8 without BOM), options, result name
  cp "$1" "$work/$3.csv"
  (cd "$work" && HOME="$work" soffice --headless --infilter="CSV:$2" --convert-to xlsx:"Calc MS Excel 2007 XML" "$3.csv" >/dev/null 2>&1)
  cp "$work/$3.xlsx" "$SAMPLES/$3.xlsx"
  echo "$SAMPLES/$3.xlsx"
}
iconv -f WINDOWS-1251 -t UTF-8 "$SAMPLES/week-2021-09-06-ru-cp1251.csv" >"$work/ru.csv"
sed '1s/^\xEF\xBB\xBF//' "$SAMPLES/week-2021-09-13-kk-utf8bom.csv" >"$work/kk.csv"
convert "$work/ru.csv" "59,34,76,1,,1049" office-week-2021-09-06-ru
convert "$work/ru.csv" "59,34,76,1,2/2,1049" office-week-2021-09-06-ru-bin-as-text
convert "$work/kk.csv" "44,34,76,1,,1087" office-week-2021-09-13-kk
