#!/usr/bin/env bash
# Benchmark of the change log and the inbox with 10,000 changes recorded (issue 18): `osa serve` on
# SQLite in a fresh data folder; the changes and the bench user's notifications (N of each,
# default 10,000, one in two about 6G) are written straight into the database (as the store writes
# them: words, links, topics), then wrk with CONN connections (default 32) for DUR against the
# change log (first and a late page), a watchlist following 6G (its filter runs over every
# change), a change's page, the inbox (first and a late page) and its Atom feed: requests/s, p99
# (wrk --latency), non-2xx answers.
#
# Rerun:   benches/run_watch.sh   (N=10000 DUR=10s CONN=32 PROFILE=release; files in
#          bench-out/watch/). Honours CARGO_TARGET_DIR. PROFILE=debug measures the debug build (an
#          upper bound; no release build needed).
# Needs:   cargo, wrk (Debian), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-10000}"
DUR="${DUR:-10s}"
CONN="${CONN:-32}"
PROFILE="${PROFILE:-release}"
OUT=bench-out/watch
PORT=18191
BASE="http://127.0.0.1:$PORT"
rm -rf "$OUT" && mkdir -p "$OUT"

TARGET="${CARGO_TARGET_DIR:-target}"
if [ "$PROFILE" = release ]; then cargo build --release -q -p osa-cli; else cargo build -q -p osa-cli; fi
cp "$TARGET/$PROFILE/osa" "$OUT/osa"
OSA="$OUT/osa"
command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)

printf 'bench-password-long\n' | "$OSA" user add bench --role analyst --password-stdin --data "$OUT/data" >/dev/null
"$OSA" db migrate --data "$OUT/data" >/dev/null
python3 - "$OUT/data/osa.db" "$N" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
rev = c.execute("SELECT MAX(id) FROM revisions").fetchone()[0] or 1
base = c.execute("SELECT COALESCE(MAX(id), 0) FROM changes").fetchone()[0]
rows, notes = [], []
for i in range(1, n + 1):
    six = i % 2 == 0
    t = "6g" if six else "front-end-fabrication"
    title = (f"6G, national security: level 4 (critical) to 3 (high), proposed by ana and approved by rev (revision {i})"
             if six else f"Gallium: EU27's share moved from {i % 90}% to {(i + 7) % 90}%")
    link = f"/tech/{t}/national_security/history"
    topics = f"\ntechnology/{t}\ndimension/national_security\n"
    at = f"2026-12-{1 + i % 7:02d}T{i % 24:02d}:00:00.000Z"
    rows.append((base + i, at, rev, f"technology/{t}", "published", title,
                 '{"proposal": %d, "note": "bench"}' % i, "rev", link, topics))
    notes.append((i, "bench", at, "watchlist", "rev", title, link, base + i))
c.executemany("INSERT INTO changes (id, at, revision_id, subject, kind, title, detail, actor, link, topics) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
c.executemany("INSERT INTO notifications (id, user_name, at, kind, actor, text, link, change_id) VALUES (?,?,?,?,?,?,?,?)", notes)
c.commit()
print(f"{n} changes and {n} notifications written")
PY
"$OSA" serve --data "$OUT/data" --bind "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$BASE/api/v1/health" >/dev/null && break; sleep 0.1; done
curl -sf -c "$OUT/cj" -H 'content-type: application/json' \
  -d '{"name":"bench","password":"bench-password-long"}' "$BASE/api/v1/session" >/dev/null
COOKIE=$(awk '$6 == "osa_session" {print $7}' "$OUT/cj")
H="Cookie: osa_session=$COOKIE"
curl -sf -o /dev/null -X PUT -H "$H" -H 'sec-fetch-site: same-origin' -H 'content-type: application/json' \
  -d '{"subjects":["technology/6g"]}' "$BASE/api/v1/watchlists/six-g"
curl -sf -o /dev/null -H "$H" "$BASE/changes"   # the first visit sets the mark; later ones read
PAGES="${PAGES:-/changes /changes?page=40 /watchlists/six-g /changes/5000 /inbox /inbox?page=150 /api/v1/watchlists/six-g/changes.atom}"
printf '%-40s %10s %10s %8s %9s\n' page "req/s" p99 non-2xx bytes | tee "$OUT/summary.txt"
for p in $PAGES; do
  name=$(echo "$p" | tr '/?=&.' '_____' | sed 's/^_//')
  bytes=$(curl -s -o "$OUT/$name.out" -w '%{size_download}' -H "$H" "$BASE$p")
  wrk -t"$(( CONN < 2 ? 1 : 2 ))" -c"$CONN" -d"$DUR" --latency -H "$H" "$BASE$p" > "$OUT/$name.wrk.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.wrk.txt")
  errs=$(awk '/Non-2xx/ {print $5}' "$OUT/$name.wrk.txt"); errs=${errs:-0}
  printf '%-40s %10s %10s %8s %9s\n' "$p" "$rps" "$p99" "$errs" "$bytes" | tee -a "$OUT/summary.txt"
done
