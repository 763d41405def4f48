#!/usr/bin/env bash
# The system packages Mamori needs on Debian, installed when missing; `make demo` and `make test`
# run this first, so the README's two commands are all a new machine needs.
#
#   scripts/system-setup.sh demo   what `make demo` needs: Python 3.11, Node.js/npm, WeasyPrint's libraries, Tesseract (jpn), LibreOffice
#   scripts/system-setup.sh test   and for the tests: Chromium, PostgreSQL (started if down), nginx, poppler
#
# As root it runs apt-get; otherwise it prints the exact command to run and stops.
# Fonts are not system packages here: the project installs its own (npm, see docs/fonts.md).
set -euo pipefail
want="${1:-demo}"

missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_lib() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || missing+=("$1"); }

need_cmd python3.11 python3.11
python3.11 -c "import venv, ensurepip" >/dev/null 2>&1 || missing+=(python3.11-venv)
need_cmd npm npm
need_cmd node nodejs
need_lib libpango-1.0-0
need_lib libpangoft2-1.0-0
need_lib libharfbuzz-subset0
need_lib fontconfig
# Scanned packets (PDF pages without text) are read by OCR: Tesseract and its Japanese model (mamori/register/importers/ocr.py).
need_cmd tesseract tesseract-ocr
[ -e /usr/share/tesseract-ocr/5/tessdata/jpn.traineddata ] || compgen -G "/usr/share/tesseract-ocr/*/tessdata/jpn.traineddata" >/dev/null || missing+=(tesseract-ocr-jpn)
# A request's Word and Excel documents are converted to PDF for redaction (mamori.disclosure.conversion), and the tests open
# the documents in a real office suite (mamori/tests/test_office_suite.py): LibreOffice, headless.
need_cmd soffice libreoffice-writer-nogui
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
if [ "$want" = "test" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  need_cmd pg_ctlcluster postgresql
  need_cmd nginx nginx
  need_cmd pdftoppm poppler-utils
  need_cmd openssl openssl
fi

# De-duplicate (python3.11 and python3.11-venv may both be listed).
missing=("${missing[@]+"${missing[@]}"}")
if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
  if [ "$(id -u)" -ne 0 ]; then
    echo "まもり: 次のシステムパッケージが必要です。管理者として次を実行してから、もう一度 make を実行してください:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "== installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$want" = "test" ]; then
  cluster="$(ls /etc/postgresql | sort -V | tail -1)"
  # A PostgreSQL this script has just installed is the tests' own: they connect as postgres over
  # loopback without a password (trust), as CI does. An existing server's settings are left alone.
  if printf '%s\n' "${missing[@]}" | grep -qx postgresql; then
    conf="/etc/postgresql/$cluster/main/pg_hba.conf"
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$conf"
    pg_ctlcluster --skip-systemctl-redirect "$cluster" main reload >/dev/null 2>&1 || true
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "まもり: PostgreSQL（127.0.0.1:5432）が動いていません。管理者として次を実行してください:" >&2
      echo "  sudo pg_ctlcluster $cluster main start" >&2
      exit 1
    fi
    echo "== starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; exit 1; }
  fi
fi
