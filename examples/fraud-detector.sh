#!/usr/bin/env bash
# The fraud_detector story, played through the modelwatch CLI the way a CI pipeline would:
# three versions, quality-gated promotions (two refused), and a rollback with nothing to
# roll back to. Every step asserts the CLI's exit code, so this script fails if the
# registry's behaviour drifts from the documented one.
#
#   MODELWATCH_URL=http://127.0.0.1:9400 MODELWATCH_TOKEN=... examples/fraud-detector.sh
#
# MODELWATCH_CLI overrides how the CLI is invoked (default: npx modelwatch).
# MODEL overrides the model name (default: fraud_detector).
# Exit codes: 0 every step behaved as documented, 1 some did not, 5 the CLI itself cannot run.
set -euo pipefail

: "${MODELWATCH_TOKEN:?set MODELWATCH_TOKEN to an operator or admin token}"
CLI=${MODELWATCH_CLI:-npx --no-install modelwatch}
MODEL=${MODEL:-fraud_detector}

# An install problem must not read as a refused step (npx's own failure exits 1).
# shellcheck disable=SC2086
if ! $CLI --version >/dev/null 2>&1; then
  echo "cannot run the modelwatch CLI ($CLI): run npm install in the repository first" >&2
  exit 5
fi

# Exit codes of the modelwatch CLI.
OK=0 REFUSED=1

failures=0

# step <expected exit> <what should happen> <pattern the output must contain, or ""> -- <cli args…>
step() {
  local want=$1 what=$2 pattern=$3
  shift 4
  local out rc
  set +e
  # CLI is a command line (it may be "node path/to/main.js"), split on purpose.
  # shellcheck disable=SC2086
  out=$($CLI "$@" 2>&1)
  rc=$?
  set -e
  if [[ $rc -ne $want ]]; then
    printf 'FAIL  %s: expected exit %d, got %d\n%s\n' "$what" "$want" "$rc" "$out" >&2
    failures=$((failures + 1))
    return 0
  fi
  if [[ -n $pattern ]] && ! grep -qiE -- "$pattern" <<<"$out"; then
    printf 'FAIL  %s: exit %d as expected, but the output does not mention /%s/\n%s\n' "$what" "$rc" "$pattern" "$out" >&2
    failures=$((failures + 1))
    return 0
  fi
  printf 'ok    %-58s exit %d\n' "$what" "$rc"
  sed 's/^/        /' <<<"$out"
}

echo "== register three versions of $MODEL"
step $OK "register $MODEL 1.0 (accuracy 0.82, 45 ms)" "" -- \
  register "$MODEL" 1.0 --accuracy 0.82 --latency-ms 45 \
  --data-version transactions-2024-01 --code-commit 3f9a1c2 --param max_depth=6 --param learning_rate=0.1 \
  --env python=3.11 --artifact-uri "s3://models/$MODEL/1.0/model.pkl" --tag owner=risk-team
step $OK "register $MODEL 1.1 (accuracy 0.87, 40 ms)" "" -- \
  register "$MODEL" 1.1 --accuracy 0.87 --latency-ms 40 \
  --data-version transactions-2024-02 --code-commit 8b41d07 --param max_depth=8 --param learning_rate=0.05 \
  --env python=3.11 --artifact-uri "s3://models/$MODEL/1.1/model.pkl" --tag owner=risk-team --parent 1.0
step $OK "register $MODEL 1.2 (accuracy 0.83, 60 ms)" "" -- \
  register "$MODEL" 1.2 --accuracy 0.83 --latency-ms 60 \
  --data-version transactions-2024-03 --code-commit c07e5aa --param max_depth=12 --param learning_rate=0.05 \
  --env python=3.11 --artifact-uri "s3://models/$MODEL/1.2/model.pkl" --tag owner=risk-team --parent 1.1

echo "== promotions through the quality gates"
step $OK "1.0 -> staging (passes the staging gates)" "" -- \
  promote "$MODEL" 1.0 --to staging --reason "offline validation passed"
step $REFUSED "1.0 -> production refused: accuracy 0.82 < 0.85" "min_accuracy" -- \
  promote "$MODEL" 1.0 --to production --reason "first release"
step $OK "1.1 -> staging" "" -- \
  promote "$MODEL" 1.1 --to staging --reason "offline validation passed"
step $OK "1.1 -> production" "" -- \
  promote "$MODEL" 1.1 --to production --reason "beats 1.0 on accuracy and latency"
step $OK "1.2 -> staging" "" -- \
  promote "$MODEL" 1.2 --to staging --reason "offline validation passed"
step $REFUSED "1.2 -> production refused: latency 60 ms > 50 ms" "max_latency_ms" -- \
  promote "$MODEL" 1.2 --to production --reason "deeper trees"

echo "== rollback"
step $REFUSED "rollback refused: 1.1 has no predecessor in production" "predecessor|nothing to roll back" -- \
  rollback "$MODEL" --reason "checking the rollback path"

echo "== where $MODEL stands"
step $OK "versions $MODEL" "" -- versions "$MODEL"

if [[ $failures -gt 0 ]]; then
  echo "$failures step(s) did not behave as expected" >&2
  exit 1
fi
echo "all steps behaved as expected"
