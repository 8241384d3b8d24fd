#!/usr/bin/env bash
# kafka-mc bench (own script): runs TLC on the public TLA+ specifications of Kafka
# replication, with this directory's cfg files and wrapper modules, and prints one
# verdict per run. No spec text lives in this repository; point the script at checkouts.
#
#   TLC_JAR            tla2tools.jar (without it: prints "skipped" and exits 0)
#   KAFKA_SPEC_DIR     checkout of github.com/hachikuji/kafka-specification (Kip101.tla, ...)
#   KAFKA_TLAPLUS_DIR  checkout of github.com/Vanlightly/kafka-tlaplus
#   TLA_COMMUNITY_MODULES  the TLA+ CommunityModules (FiniteSetsExt, SequencesExt), needed by
#                      kafka-tlaplus: a directory of .tla files (github.com/tlaplus/CommunityModules,
#                      modules/) or CommunityModules-deps.jar
#   TLC_WORKERS (1)    TLC_TIMEOUT (600 s per run)    OUT_DIR (a new temporary directory)
#   ONLY               a regular expression: run only the runs whose name matches
#
# Exit code: 0 when every run that was made gave the verdict (and trace length) recorded
# below, 1 when one did not (the line says MISMATCH), 2 on a setup error.
# Results and readable traces: bench/results/tla-specs.md.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [[ -z "${TLC_JAR:-}" ]]; then
  echo "skipped: TLC_JAR unset (set it to tla2tools.jar; see bench/results/tla-specs.md)"
  exit 0
fi
[[ -f "$TLC_JAR" ]] || { echo "error: TLC_JAR=$TLC_JAR is not a file" >&2; exit 2; }
command -v java >/dev/null || { echo "error: java not on PATH" >&2; exit 2; }

workers=${TLC_WORKERS:-1}
limit=${TLC_TIMEOUT:-600}
out=${OUT_DIR:-$(mktemp -d /tmp/tla-specs.XXXXXX)}
mkdir -p "$out" && out=$(cd "$out" && pwd)
only=${ONLY:-.}
mismatches=0

echo "# $(java -cp "$TLC_JAR" tlc2.TLC -h 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -m1 -o 'Version.*')"
echo "# $(java -version 2>&1 | head -1); nproc $(nproc); workers $workers; time limit ${limit}s; logs in $out"

# run NAME SPEC CFG NEXT INVARIANT EXPECT [java options...]
#   NEXT/INVARIANT replace the cfg's NEXT/INVARIANT lines ("-" keeps the cfg's; INVARIANT "none"
#   drops them: the run counts the reachable states). EXPECT: "violated:N" (N states in TLC's
#   trace), "holds" (or "holds:N": N distinct states), "error" (TLC stops with an evaluation error) or "any".
run() {
  local name=$1 spec=$2 cfg=$3 next=$4 inv=$5 expect=$6
  shift 6
  [[ "$name" =~ $only ]] || return 0
  local c="$out/$name.cfg" log="$out/$name.log" json="$out/$name.json"
  if [[ "$inv" == - ]]; then cp "$cfg" "$c"; else grep -v '^INVARIANT' "$cfg" > "$c"; fi
  [[ "$inv" == - || "$inv" == none ]] || printf 'INVARIANT %s\n' "$inv" >> "$c"
  [[ "$next" == - ]] || sed -i "s/^NEXT .*/NEXT $next/" "$c"
  rm -f "$json"
  local t0=$(date +%s.%N)
  (cd "$out" && timeout "$limit" java -XX:+UseParallelGC "$@" tlc2.TLC -workers "$workers" -deadlock \
      -noGenerateSpecTE -metadir "$out/meta-$name" -dumpTrace json "$json" -config "$c" "$spec") > "$log" 2>&1
  local rc=$? t1=$(date +%s.%N)
  rm -rf "$out/meta-$name"
  local verdict states distinct generated depth
  states=$(grep -c '^State [0-9]*:' "$log")
  if grep -q 'is violated by the initial state' "$log"; then
    verdict="violated $(grep -o 'Invariant [A-Za-z_0-9]* is violated' "$log" | awk '{print $2}')"; states=1
  elif grep -q 'is violated\.' "$log"; then
    verdict="violated $(grep -o 'Invariant [A-Za-z_0-9]* is violated' "$log" | awk '{print $2}')"
  elif grep -q 'No error has been found' "$log"; then verdict=holds; states=0
  elif [[ $rc == 124 ]]; then verdict="TIMEOUT after ${limit}s"; states=0
  elif grep -q '^Error:' "$log"; then verdict="error: $(grep -m1 '^Error:' "$log" | sed 's/^Error: //' | cut -c1-60)"
  else verdict="no verdict (exit $rc)"; fi
  distinct=$(grep -oE '[0-9,]+ distinct states found' "$log" | tail -1 | grep -oE '^[0-9,]+')
  generated=$(grep -oE '[0-9,]+ states generated' "$log" | tail -1 | grep -oE '^[0-9,]+')
  depth=$(grep -oE 'depth of the complete state graph search is [0-9]+' "$log" | grep -oE '[0-9]+$')
  local ok=ok
  case $expect in
    violated:*) [[ "$verdict" == violated* && "$states" == "${expect#violated:}" ]] || ok=MISMATCH ;;
    holds) [[ "$verdict" == holds ]] || ok=MISMATCH ;;
    holds:*) [[ "$verdict" == holds && "${distinct//,/}" == "${expect#holds:}" ]] || ok=MISMATCH ;;
    error) [[ "$verdict" == error* ]] || ok=MISMATCH ;;
  esac
  [[ $ok == ok ]] || mismatches=$((mismatches + 1))
  printf '%-34s %-44s trace %-3s distinct %-10s generated %-10s depth %-3s %6.1fs  %s (expected %s)\n' \
    "$name" "$verdict" "$states" "${distinct:-?}" "${generated:-?}" "${depth:-?}" \
    "$(awk "BEGIN { print $t1 - $t0 }")" "$ok" "$expect"
  if [[ -s "$json" && "${TRACES:-1}" == 1 ]] && command -v python3 >/dev/null; then
    python3 "$here/trace.py" "$json" | sed 's/^/      /'
  fi
}

# --- hachikuji/kafka-specification ---------------------------------------------------------
# cfg | module | reachable distinct states | expected verdict for StrongIsr | for WeakIsr
hk_runs='
TruncateToHW-r2   KafkaTruncateToHighWatermark 353    violated:10 violated:9
TruncateToHW-r3   KafkaTruncateToHighWatermark 10681  violated:9  violated:9
Kip101-r2         Kip101                       9045   violated:12 violated:12
Kip101-r3         Kip101                       9841   violated:12 holds
Kip279-r2         Kip279                       53099  holds       holds
Kip279-r3         Kip279                       9841   violated:12 holds
Kip320FirstTry-r2 Kip320FirstTry               46465  holds       holds
Kip320FirstTry-r3 Kip320FirstTry               175453 violated:13 violated:12
Kip320-r2         Kip320                       28939  holds       holds
Kip320-r3         Kip320                       737794 holds       holds
'
if [[ -z "${KAFKA_SPEC_DIR:-}" || ! -f "${KAFKA_SPEC_DIR:-}/Kip101.tla" ]]; then
  echo "skipped hachikuji/kafka-specification: KAFKA_SPEC_DIR unset or without Kip101.tla"
else
  KAFKA_SPEC_DIR=$(cd "$KAFKA_SPEC_DIR" && pwd)
  cp -f "$here"/KS*.tla "$out"/
  while read -r cfg module reach strong weak; do
    [[ -n "$cfg" ]] || continue
    f="$here/$cfg.cfg" spec="$KAFKA_SPEC_DIR/$module.tla" w="$out/KS_${cfg%-r*}.tla"
    cp_="-cp $TLC_JAR" lib="-DTLA-Library=$KAFKA_SPEC_DIR"
    run "$cfg-reachable"   "$spec" "$f" - none                 "holds:$reach" $cp_
    run "$cfg-StrongIsr"   "$spec" "$f" - StrongIsr            "$strong"    $cp_
    run "$cfg-WeakIsr"     "$spec" "$f" - WeakIsr              "$weak"      $cp_
    run "$cfg-LeaderInIsr" "$spec" "$f" - LeaderInIsr          violated:1   $cp_
    run "$cfg-TypeOk"      "$spec" "$f" - TypeOk               error        $cp_
    # the wrappers' KSNext must reach exactly the module's states ("holds:$reach")
    run "$cfg-TypeOkTLC"   "$w"    "$f" KSNext TypeOkTLC       "holds:$reach" $lib $cp_
    run "$cfg-LeaderInIsrOrNoLeader" "$w" "$f" KSNext LeaderInIsrOrNoLeader holds $lib $cp_
  done <<< "$hk_runs"
fi

# --- Vanlightly/kafka-tlaplus (KRaft) ------------------------------------------------------
if [[ -z "${KAFKA_TLAPLUS_DIR:-}" || ! -d "${KAFKA_TLAPLUS_DIR:-}/kafka_data_replication/kraft" ]]; then
  echo "skipped Vanlightly/kafka-tlaplus: KAFKA_TLAPLUS_DIR unset or without kafka_data_replication/kraft"
elif [[ -z "${TLA_COMMUNITY_MODULES:-}" ]]; then
  echo "skipped Vanlightly/kafka-tlaplus: TLA_COMMUNITY_MODULES unset (it EXTENDS FiniteSetsExt, SequencesExt)"
else
  k=$(cd "$KAFKA_TLAPLUS_DIR/kafka_data_replication/kraft" && pwd)
  if [[ "$TLA_COMMUNITY_MODULES" == *.jar ]]; then opts=(-cp "$TLC_JAR:$TLA_COMMUNITY_MODULES")
  else opts=(-DTLA-Library="$TLA_COMMUNITY_MODULES" -cp "$TLC_JAR"); fi
  run kraft35-lrs      "$k/v3.5/kafka_replication_v3_5.tla"       "$here/kraft35-lrs.cfg"       - - violated:8 "${opts[@]}"
  run kraft35-lrs-avoided "$k/v3.5/kafka_replication_v3_5.tla"    "$here/kraft35-lrs-avoided.cfg" - - holds:33794 "${opts[@]}"
  run kraft966-elr     "$k/kip-966/kafka_replication_kip_966.tla" "$here/kraft966-elr.cfg"      - - holds:282201 "${opts[@]}"
fi

if (( mismatches > 0 )); then echo "$mismatches run(s) did not give the recorded verdict"; exit 1; fi
echo "all runs gave the recorded verdicts"
