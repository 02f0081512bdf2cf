# Where a phrase query spends its time (BENCHMARKS-search.md, "Phrases"): run
# after scripts/bench/prefix_index.py, on the scratch database it built.
import sys
import sqlite3, random, time, re
db = sqlite3.connect(sys.argv[1])
rng = random.Random(3)
ids = [i for (i,) in db.execute("SELECT id FROM versions ORDER BY random() LIMIT 400")]
phr = []
for i in ids:
    (t,) = db.execute("SELECT text FROM versions WHERE id=?", (i,)).fetchone()
    w = re.findall(r"\w+", t)
    if len(w) > 3:
        k = rng.randrange(len(w) - 1); phr.append('"%s %s"' % (w[k], w[k+1]))
    if len(phr) == 100: break
def run(q, score, snip):
    c = time.process_time()
    sel = "-bm25(plain_fts, 10.0, 1.0)" if score else "0"
    rows = db.execute(f"SELECT rowid, {sel} FROM plain_fts WHERE plain_fts MATCH ? ORDER BY rowid DESC LIMIT 500", (q,)).fetchall()
    if snip:
        for (r, _) in sorted(rows, key=lambda x: -x[1])[:20]:
            db.execute("SELECT snippet(plain_fts, 1, char(2), char(3), '…', 24) FROM plain_fts WHERE plain_fts MATCH ? AND rowid = ?", (q, r)).fetchone()
    return (time.process_time() - c) * 1000, len(rows)
for label, s, n in [("match only", 0, 0), ("+bm25", 1, 0), ("+bm25+20 snippets", 1, 1)]:
    ts = sorted(run(q, s, n)[0] for q in phr)
    print(f"phrase {label}: CPU p50 {ts[49]:.1f} p95 {ts[94]:.1f} max {ts[-1]:.1f} ms", flush=True)
