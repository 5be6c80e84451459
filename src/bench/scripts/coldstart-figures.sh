#!/usr/bin/env bash
# Every figure of docs/performance.md: ./src/bench/scripts/coldstart-figures.sh [OUTDIR]
# Takes about ten minutes on two cores. Samples per run: S (main table, default 15) and S2 (the others, default 10).
set -euo pipefail
cd "$(dirname "$0")/../../.."
out="${1:-target/coldstart-figures}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
{ date; uptime; nproc; java -version 2>&1; git log -1 --format='coldstart %h'; git log -1 --format='main %h' main; } \
    > "$out/machine.txt"
./mvnw -q -B -Pcoldstart package -DskipTests -DskipITs > "$out/build.txt" 2>&1
cp target/ecr-digest-guard.jar "$out/final.jar"
# The baseline: the same build of main, without this branch.
rm -rf target/coldstart-main && mkdir -p target/coldstart-main
git archive main | tar -x -C target/coldstart-main
(cd target/coldstart-main && ./mvnw -q -B package -DskipTests -DskipITs > "$out/build-main.txt" 2>&1)
cp target/coldstart-main/target/ecr-digest-guard.jar "$out/main.jar"
ls -l "$out/final.jar" "$out/main.jar" >> "$out/machine.txt"
cp_test="$(./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test):target/test-classes"
bench() { java -cp "$cp_test" dev.ecrdigestguard.bench.ColdStartBenchmark --memory 1024 "$@"; }
w=target/coldstart-figures-work
bench --jar "$out/final.jar" --baseline "$out/main.jar" --work $w/1 --samples "${S:-15}" --warmup 2 --class-loading \
    --out "$out/after.md" > "$out/after.txt" 2>&1
{ date; uptime; } >> "$out/machine.txt"
bench --jar "$out/final.jar" --work $w/2 --samples "${S2:-10}" --warmup 2 --snapstart > "$out/snapstart.txt" 2>&1
bench --jar "$out/final.jar" --work $w/3 --samples "${S2:-10}" --warmup 2 --layout sam > "$out/sam.txt" 2>&1
bench --jar "$out/final.jar" --work $w/4 --samples "${S2:-10}" --warmup 2 --layout lib-jar > "$out/libjar.txt" 2>&1
bench --jar "$out/final.jar" --work $w/5 --samples "${S2:-10}" --warmup 2 --layout lib-jar \
    --appcds "$w/5/app.jsa" --tool-options "-XX:SharedArchiveFile=$PWD/$w/5/app.jsa -Xlog:cds=off" \
    > "$out/appcds.txt" 2>&1
bench --jar "$out/final.jar" --work $w/6 --samples "${S2:-10}" --warmup 2 --cases b,c,d --lifecycle-policy \
    > "$out/policy.txt" 2>&1
{ date; uptime; } >> "$out/machine.txt"
grep -h '^| (' "$out"/*.txt | head -40
