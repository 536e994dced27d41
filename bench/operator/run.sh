#!/usr/bin/env bash
# Operator scale benchmark against a real kube-apiserver (not part of the default build):
#   bench/operator/run.sh [N,...] [reconcile threads] [scenarios]   e.g. bench/operator/run.sh 1000,5000 32 cold,burst
# Results: operator/target/bench-operator.md (one row per N). Needs the binaries of scripts/kube-binaries.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -o -pl operator -am verify -Dit.test=OperatorBench -Dtest=NONE \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.nodes="${1:-1000,5000}" -Dbench.threads="${2:-32}" -Dbench.scenarios="${3:-cold,burst}"
cat operator/target/bench-operator.md
