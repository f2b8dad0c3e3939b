import json, sys
FEATS = ["word_start","ascii_letter","latin_ext","digit","punct","space_extra","newline","alpha","alpha_word_start","semitic","brahmic","long_letter","cjk","emoji"]
def cls(cp):
    if cp < 0x80:
        c = chr(cp)
        if c.isalpha(): return "ascii_letter"
        if c.isdigit(): return "digit"
        if c == '\n': return "newline"
        if c in ' \t\r\f\v': return "space"
        return "punct"
    if 0xC0 <= cp <= 0x24F and cp not in (0xD7, 0xF7): return "latin_ext"
    if cp < 0xC0: return "punct"  # Latin-1 symbols (« » © ...)
    if 0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF: return "cjk"
    if 0x370 <= cp <= 0x52F: return "alpha"
    if 0x530 <= cp <= 0x8FF: return "semitic"
    if 0x900 <= cp <= 0x1FFF: return "brahmic"
    return "emoji"  # general punctuation, symbols, arrows, dingbats, emoji, joiners
def features(text):
    f = dict.fromkeys(FEATS, 0)
    prev = "space"
    run = 0
    for ch in text:
        c = cls(ord(ch))
        if c == "ascii_letter":
            f["ascii_letter"] += 1
            run = run + 1 if prev in ("ascii_letter", "latin_ext") else 1
            if run > 8: f["long_letter"] += 1
            if prev not in ("ascii_letter", "latin_ext"): f["word_start"] += 1
        elif c == "latin_ext":
            f["latin_ext"] += 1
            if prev not in ("ascii_letter", "latin_ext"): f["word_start"] += 1
        elif c in ("semitic", "brahmic"):
            f[c] += 1
            if prev != c: f["alpha_word_start"] += 1
        elif c == "space":
            if prev in ("space", "newline"): f["space_extra"] += 1
        elif c == "alpha":
            f["alpha"] += 1
            if prev != "alpha": f["alpha_word_start"] += 1
        else:
            f[c] += 1
        prev = c
    return [f[k] for k in FEATS]
def solve(A, b):
    n = len(A)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for i in range(n):
        p = max(range(i, n), key=lambda r: abs(M[r][i]))
        M[i], M[p] = M[p], M[i]
        if abs(M[i][i]) < 1e-12: continue
        for r in range(n):
            if r != i:
                fac = M[r][i] / M[i][i]
                for k in range(i, n + 1): M[r][k] -= fac * M[i][k]
    return [M[i][n] / M[i][i] if abs(M[i][i]) > 1e-12 else 0.0 for i in range(n)]
def fit(X, y, ridge=1e-3):
    active = list(range(len(FEATS)))
    while True:
        A = [[sum(X[s][i] * X[s][j] / y[s]**2 for s in range(len(y))) + (ridge if i == j else 0) for j in active] for i in active]
        b = [sum(X[s][i] * y[s] / y[s]**2 for s in range(len(y))) for i in active]
        w = solve(A, b)
        neg = [active[k] for k, v in enumerate(w) if v < 0]
        if not neg:
            full = [0.0] * len(FEATS)
            for k, i in enumerate(active): full[i] = w[k]
            return full
        active = [i for i in active if i not in neg]
def pred(w, x): return sum(a * b for a, b in zip(w, x))
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
X = [features(r["text"]) for r in rows]
for tok in ["claude_legacy", "cl100k", "o200k"]:
    y = [r[tok] for r in rows]
    w = fit(X, y)
    errs = [(pred(w, x) - t) / t for x, t in zip(X, y)]
    loo = []
    for i in range(len(rows)):
        wi = fit(X[:i] + X[i+1:], y[:i] + y[i+1:])
        loo.append((pred(wi, X[i]) - y[i]) / y[i])
    tot_p = sum(pred(w, x) for x in X); tot_y = sum(y)
    wr = [round(v * 1000) for v in w]
    print(tok, dict(zip(FEATS, wr)))
    print("  in-sample max|err| %.1f%%  mean|err| %.1f%%  LOO max|err| %.1f%% mean %.1f%%  total ratio %.3f" % (
        100*max(map(abs, errs)), 100*sum(map(abs, errs))/len(errs), 100*max(map(abs, loo)), 100*sum(map(abs, loo))/len(loo), tot_p/tot_y))
    worst = sorted(zip(loo, [r["id"] for r in rows]), key=lambda t: -abs(t[0]))[:5]
    print("  worst LOO", [(i, round(100*e)) for e, i in worst])
# words*1.3 baseline
for tok in ["claude_legacy", "cl100k", "o200k"]:
    e = [(len(r["text"].split()) * 1.3 - r[tok]) / r[tok] for r in rows]
    print("words*1.3 vs", tok, "max|err| %.0f%% mean %.0f%%" % (100*max(map(abs, e)), 100*sum(map(abs, e))/len(e)))
