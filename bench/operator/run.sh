#!/usr/bin/env bash
# Operator scale benchmark against a real kube-apiserver (not part of the default build):
#   bench/operator/run.sh [N,...] [reconcile threads]     e.g. bench/operator/run.sh 1000,5000 8
# Results: operator/target/bench-operator.md (one row per N). Needs the binaries of scripts/kube-binaries.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -o -pl operator -am verify -Dit.test=OperatorBench -Dtest=NONE \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.nodes="${1:-1000,5000}" -Dbench.threads="${2:-8}"
cat operator/target/bench-operator.md
