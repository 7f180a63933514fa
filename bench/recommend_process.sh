#!/usr/bin/env bash
# recommend as a user runs it: whole processes timed by hyperfine (Debian package), against ffmpeg decoding the
# same frames alone (the floor any query pays), on the demo's catalog and model and a generated 30-s 720p video.
#   bench/recommend_process.sh [VIML] [DEMO]    VIML: the program (default ./viml); DEMO: a finished demo's folder
#                                               (default .viml/demo, made by `viml demo`)
# Prints each command's mean wall time and its ratio to the fastest; RUNS=N sets the runs (5).
set -euo pipefail
viml=${1:-./viml}
demo=${2:-.viml/demo}
for need in hyperfine ffmpeg; do
  command -v $need >/dev/null || { echo "recommend_process: $need is missing (apt-get install $need)" >&2; exit 1; }
done
[ -f "$demo/catalog/catalog.db" ] || { echo "recommend_process: $demo/catalog: no demo catalog (run viml demo)" >&2; exit 1; }
video=$(mktemp -d)/query720.mp4
trap 'rm -rf "$(dirname "$video")"' EXIT
ffmpeg -v error -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=30" -pix_fmt yuv420p -y "$video"
common="--catalog $demo/catalog --model $demo/runs/viml/last --top 10"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
hyperfine -N --warmup 1 --runs "${RUNS:-5}" \
  -n "ffmpeg: decode the 2-fps frames at 224x224 (peer)" "ffmpeg -v error -i $video -vf fps=2,scale=224:224 -f rawvideo -pix_fmt rgb24 -y /dev/null" \
  -n "viml recommend --help" "$viml recommend --help" \
  -n "viml recommend of a missing file (the error)" -i "$viml recommend /nonexistent.mp4 $common" \
  -n "viml recommend video + text, fp32" "$viml recommend $video $common --text 'a jazz tune'" \
  -n "viml recommend video + text, int8" "$viml recommend $video $common --text 'a jazz tune' --precision int8" \
  -n "viml recommend text only" "$viml recommend $common --text 'a jazz tune'"
