#!/usr/bin/env bash
# Apache Spark (pyspark, tools/spark/requirements.txt, hashes pinned) in .tools/spark (ignored),
# for e2e/spark-sql.test.ts. Needs Python 3 with venv and Java 17 or newer; reuses what is there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.tools/spark"
wanted="$(sed -nE 's/^pyspark==([^ ]+).*/\1/p' "$root/tools/spark/requirements.txt")"
if [[ -x "$venv/bin/python" ]] && [[ "$("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null)" == "$wanted" ]]; then
  echo "pyspark $wanted: reusing .tools/spark"
  exit 0
fi
echo "pyspark $wanted: installing into .tools/spark from PyPI (about 450 MB, a minute or two)..."
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --require-hashes -r "$root/tools/spark/requirements.txt"
"$venv/bin/python" -c 'import pyspark; print("pyspark", pyspark.__version__)'
