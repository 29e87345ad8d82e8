#!/usr/bin/env bash
# usage: tools/frame-ledger-check.sh lossless|live [SECONDS] [JAR] [NPM_MODULES]   (from the repository root,
# after mvn package and bash .ci/run, which installs mosquitto-clients, chromium and the npm peers)
# Replays the sample drive at max rate in MODE while two busy loops keep both cores busy, with a
# mosquitto_sub on the masks and a Foxglove client (npm @foxglove/ws-protocol) on /ws; then pauses,
# waits until every frame has ended, replays 3 more frames at a slow rate without load (watched by
# the viewer in chromium) and prints every count.
set -uo pipefail
MODE=$1; SECS=${2:-180}; JAR=${3:-target/fusion-node.jar}; NPM=${4:-target/npm/node_modules}
OUT=target/ledger-$MODE; rm -rf $OUT; mkdir -p $OUT
HTTP=18080; MQTT=18830; API=http://127.0.0.1:$HTTP
status() { curl -s $API/api/status; }
ingested() { curl -s $API/metrics | awk '/^fusionnode_frames_ingested_total\{.*kind="camera"/ {s+=$2} END {printf "%d", s}'; }
ended() { status | jq '.drops.framesEnded'; }
drain() { local a b; while :; do a=$(ingested); b=$(ended); [ "$a" = "$b" ] && [ "$a" != "" ] && break; sleep 1; done; }
LOAD=()
FUSIONNODE_REPLAY__MODE=$MODE FUSIONNODE_REPLAY__RATE=max FUSIONNODE_REPLAY__START_PAUSED=true \
FUSIONNODE_HTTP__PORT=$HTTP FUSIONNODE_MQTT__EMBEDDED__PORT=$MQTT FUSIONNODE_TRAINING__ENABLED=false \
  java -jar $JAR run > $OUT/node.log 2>&1 & NODE=$!
trap 'kill ${LOAD[@]} $NODE $SUB $FOX 2>/dev/null' EXIT
until curl -sf $API/health/ready >/dev/null; do sleep 1; done
stdbuf -oL mosquitto_sub -h 127.0.0.1 -p $MQTT -V mqttv311 -t 'fusion/sample/+/mask' -F '%t' -d > $OUT/masks.txt & SUB=$!
stdbuf -oL mosquitto_sub -h 127.0.0.1 -p $MQTT -V mqttv311 -t 'fusion/sample/+/meta' -F '%p' > $OUT/metas.txt & META=$!
node src/test/js/foxglove_count.mjs $NPM ws://127.0.0.1:$HTTP/ws 60000 $((SECS+600)) > $OUT/fox.txt & FOX=$!
until grep -q "received SUBACK" $OUT/masks.txt && grep -q subscribed $OUT/fox.txt; do sleep 0.2; done
for i in 1 2; do (while :; do :; done) & LOAD+=($!); done
echo "load: ${LOAD[*]}; resume at $(date +%T)"
curl -s -X POST $API/api/replay/resume >/dev/null
sleep $SECS
curl -s -X POST $API/api/replay/pause >/dev/null
kill ${LOAD[@]}; LOAD=()
echo "paused at $(date +%T); draining"
drain
IN=$(ingested)
echo "after the loaded run: frames in $IN, ended $(ended), drops $(status | jq -c .drops)"
# three more frames, slowly and without load, watched by the viewer
node src/test/js/viewer_drops.mjs $NPM/playwright-core $API/ 3 > $OUT/viewer.txt 2>&1 & VIEW=$!
until grep -q open $OUT/viewer.txt; do sleep 0.2; done
curl -s -X POST "$API/api/replay/rate?value=0.2" >/dev/null
curl -s -X POST $API/api/replay/resume >/dev/null
wait $VIEW
curl -s -X POST $API/api/replay/pause >/dev/null
drain
sleep 2
IN=$(ingested)
MASKS=$(grep -vc "^Client \|^Subscribed" $OUT/masks.txt)
METRICS=$(curl -s $API/metrics | awk '/^fusionnode_frames_dropped_total/ {s+=$2} END {printf "%d", s}')
STATUS=$(status | jq '.drops.total')
LASTMETA=$(tail -1 $OUT/metas.txt | jq '.droppedSoFar')
kill $SUB $META 2>/dev/null; wait $FOX
echo "frames in (camera frames ingested): $IN"
echo "masks received by mosquitto_sub: $MASKS"
echo "Foxglove client: $(tail -1 $OUT/fox.txt)"
echo "drops: /metrics $METRICS, /api/status $STATUS, last meta $LASTMETA, viewer $(tail -1 $OUT/viewer.txt)"
echo "by reason: $(status | jq -c .drops.byReason)"
