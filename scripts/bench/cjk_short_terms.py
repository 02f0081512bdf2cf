# Micro-benchmark for two-character CJK terms (see BENCHMARKS-search.md).
# N zh/ja versions from the full-scale library in a scratch database, indexed
# three ways: the shipped trigram index (a 2-char term = OR of every trigram
# beginning with it), a unigram index (every Han/kana char a token; the term
# is a phrase) and a bigram index (every overlapping CJK pair a token, with
# prefix='1' for one-char terms; the term is one token).
import sqlite3, sys, time, random, os
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def is_cjk(c):
    o = ord(c)
    return 0x3040<=o<=0x30FF or 0x3400<=o<=0x4DBF or 0x4E00<=o<=0x9FFF or 0xF900<=o<=0xFAFF or 0xFF66<=o<=0xFF9F or 0x20000<=o<=0x2FFFF
def uni(s):
    return "".join((" %s " % c) if is_cjk(c) else c for c in s)
def bi(s):
    out, run = [], []
    def flush():
        if len(run) == 1: out.append(run[0])
        for i in range(len(run) - 1): out.append(run[i] + run[i+1])
        run.clear()
    for c in s:
        if is_cjk(c): run.append(c)
        else:
            flush(); out.append(" ")
    flush()
    return " ".join(out)
fresh = not os.path.exists(dst)
db = sqlite3.connect(dst)
if fresh:
    db.execute("ATTACH ? AS lib", (src,))
    glob = db.execute("SELECT cjk_glob FROM lib.search_script").fetchone()[0]
    db.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, title TEXT, text TEXT)")
    db.execute("INSERT INTO v SELECT id, title, text FROM lib.versions WHERE text GLOB ? ORDER BY id DESC LIMIT ?", (glob, n))
    db.commit(); db.execute("DETACH lib")
    rows = db.execute("SELECT id, title, text FROM v").fetchall()
    for name, ddl, f in [
        ("tri", "title, text, content='', tokenize='trigram'", lambda s: s + "\n\n"),
        ("uni", "title, text, content='', tokenize='unicode61 remove_diacritics 2'", uni),
        ("bi", "title, text, content='', tokenize='unicode61 remove_diacritics 2', prefix='1'", bi),
    ]:
        t = time.time()
        db.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({ddl})")
        db.executemany(f"INSERT INTO {name} (rowid, title, text) VALUES (?,?,?)", [(i, f(a), f(b)) for (i, a, b) in rows])
        db.commit()
        sz = db.execute(f"SELECT sum(length(block)) FROM {name}_data").fetchone()[0]
        print(f"build {name}: {time.time()-t:.1f} s, {sz/1e6:.1f} MB", flush=True)
    db.execute("CREATE VIRTUAL TABLE tri_terms USING fts5vocab(tri, 'row')")
rng = random.Random(7)
ids = [i for (i,) in db.execute("SELECT id FROM v")]
terms = []
while len(terms) < 100:
    (text,) = db.execute("SELECT text FROM v WHERE id = ?", (rng.choice(ids),)).fetchone()
    p = rng.randrange(len(text) - 2)
    t = text[p:p+2]
    if all(is_cjk(c) for c in t): terms.append(t)
def q(name, expr):
    return db.execute(f"SELECT rowid, -bm25({name}, 10.0, 1.0) FROM {name} WHERE {name} MATCH ? ORDER BY rowid DESC LIMIT 500", (expr,)).fetchall()
results = {}
for name in ["tri", "uni", "bi"]:
    times, hits = [], []
    for t in terms:
        c0 = time.process_time()
        if name == "tri":
            tris = [x for (x,) in db.execute("SELECT term FROM tri_terms WHERE term >= ? AND term < ? LIMIT 3001", (t, t + chr(0x10FFFF)))]
            expr = "(" + " OR ".join('"%s"' % x.replace('"', '""') for x in tris) + ")"
            r = q(name, expr)
        elif name == "uni":
            r = q(name, '"%s"' % uni(t))
        else:
            r = q(name, '"%s"' % t)
        times.append((time.process_time() - c0) * 1000)
        hits.append(sorted(x[0] for x in r))
    results[name] = hits
    times.sort()
    print(f"2-char CJK, {name}: CPU p50 {times[49]:.1f} ms, p95 {times[94]:.1f} ms, max {times[-1]:.1f} ms", flush=True)
agree = sum(results["tri"][i] == results["bi"][i] for i in range(100))
print(f"bigram returns the same 500-row window as trigram for {agree}/100 terms")
