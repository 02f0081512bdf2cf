# Micro-benchmark for the FTS5 prefix index (BENCHMARKS-search.md, "Prefix indexes").
# Copies N versions (title, text) from the full-scale library into a scratch
# database, builds the word index twice (without / with prefix='2 3 4') and
# times the app's ranking query for prefix terms of 2, 3 and 4 letters.
import sqlite3, sys, time, random, statistics, os
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
fresh = not os.path.exists(dst)
db = sqlite3.connect(dst)
if fresh:
    db.execute("ATTACH ? AS lib", (f"file:{src}?mode=ro",))
    db.execute("CREATE TABLE versions (id INTEGER PRIMARY KEY, title TEXT, text TEXT)")
    db.execute("INSERT INTO versions SELECT id, title, text FROM lib.versions ORDER BY id DESC LIMIT ?", (n,))
    db.commit(); db.execute("DETACH lib")
    for name, opt in [("plain_fts", ""), ("prefix_fts", ", prefix = '2 3 4'")]:
        t = time.time()
        db.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(title, text, content='versions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'{opt})")
        db.execute(f"INSERT INTO {name} ({name}) VALUES ('rebuild')")
        db.commit()
        print(f"build {name}: {time.time()-t:.1f} s", flush=True)
    db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(plain_fts, 'row')")
    for name in ["plain_fts", "prefix_fts"]:
        sz = db.execute("SELECT sum(length(block)) FROM %s_data" % name).fetchone()[0]
        print(f"{name} segment bytes: {sz/1e6:.1f} MB")
words = [w for (w,) in db.execute("SELECT term FROM vocab ORDER BY doc DESC LIMIT 3000 OFFSET 30") if w.isalpha() and len(w) >= 5]
rng = random.Random(7)
sample = rng.sample(words, 100)
for plen in (2, 3, 4):
    for name in ["plain_fts", "prefix_fts"]:
        times = []
        for w in sample:
            q = '"%s" *' % w[:plen]
            t = time.process_time()
            rows = db.execute(f"SELECT rowid, -bm25({name}, 10.0, 1.0) FROM {name} WHERE {name} MATCH ? ORDER BY rowid DESC LIMIT 500", (q,)).fetchall()
            # and the snippet the app builds for each of the top 20
            for (rid, _) in rows[:20]:
                db.execute(f"SELECT snippet({name}, 1, char(2), char(3), '…', 24) FROM {name} WHERE {name} MATCH ? AND rowid = ?", (q, rid)).fetchone()
            times.append((time.process_time() - t) * 1000)
        times.sort()
        print(f"prefix {plen} letters, {name}: CPU p50 {times[49]:.1f} ms, p95 {times[94]:.1f} ms, max {times[-1]:.1f} ms")
