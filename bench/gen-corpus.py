#!/usr/bin/env python3
"""Generates the ingest benchmark's corpus: English-looking text and markdown documents of 5-50 KB.

    bench/gen-corpus.py OUT_DIR [docs] [pdf_sources]

Source text: the licences in /usr/share/common-licenses and the README/NEWS/*.md/*.txt files under
/usr/share/doc (gzipped ones too) of this machine; an order-2 word Markov chain trained on their prose lines
generates new sentences (so chunks are real-looking, varied English, not repeated copies). Each document has a
title, sections with headings, paragraphs of 3-9 sentences and now and then a bulleted list; sizes are
log-uniform in 5-50 KB; 60 % are .md, 40 % .txt. The last `pdf_sources` documents are written as
pdf-src-NNN.txt (plain text) for MakePdfs.java to turn into PDFs. Deterministic (seed 7).
"""
import gzip
import math
import os
import random
import re
import sys

out = sys.argv[1]
n_docs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
n_pdf = int(sys.argv[3]) if len(sys.argv) > 3 else 10
os.makedirs(out, exist_ok=True)


def read(path):
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rt", errors="replace") as f:
                return f.read()
        with open(path, errors="replace") as f:
            return f.read()
    except (OSError, EOFError):
        return ""


sources = [os.path.join("/usr/share/common-licenses", f) for f in sorted(os.listdir("/usr/share/common-licenses"))]
for root, _, files in sorted(os.walk("/usr/share/doc")):
    for f in sorted(files):
        if re.match(r"(README|NEWS|.*\.md|.*\.txt)(\.gz)?$", f, re.I) or re.match(r"README", f):
            sources.append(os.path.join(root, f))

words = []
for path in sources:
    text = read(path)
    for line in text.splitlines():
        line = line.strip()
        # prose-like lines only: mostly letters, a few words long, no code
        if len(line) < 40 or sum(c.isalpha() or c == " " for c in line) < 0.85 * len(line):
            continue
        if re.search(r"[{};<>=$]|^\s*[-*#|]", line):
            continue
        words.extend(w for w in line.split() if w.isascii())

chain = {}
for a, b, c in zip(words, words[1:], words[2:]):
    chain.setdefault((a, b), []).append(c)
keys = [k for k in chain if k[0][:1].isupper()]
rng = random.Random(7)


def sentence():
    a, b = rng.choice(keys)
    s = [a, b]
    while len(s) < 60:
        nxt = chain.get((a, b))
        if not nxt:
            break
        c = rng.choice(nxt)
        s.append(c)
        a, b = b, c
        if c.endswith(".") and len(s) >= 8:
            break
    text = " ".join(s)
    return text if text.endswith(".") else text.rstrip(",;:") + "."


def title():
    return " ".join(w.strip(".,;:()\"'").capitalize() for w in sentence().split()[: rng.randint(2, 6)])


def document(target, markdown):
    parts = [("# " if markdown else "") + title(), ""]
    size = 0
    while size < target:
        head = title()
        parts += [("## " + head) if markdown else head.upper(), ""]
        for _ in range(rng.randint(1, 4)):
            para = " ".join(sentence() for _ in range(rng.randint(3, 9)))
            parts += [para, ""]
            size += len(para)
        if rng.random() < 0.3:
            for _ in range(rng.randint(3, 7)):
                parts.append(("- " if markdown else "  * ") + sentence())
            parts.append("")
    return "\n".join(parts)


total = 0
for i in range(n_docs):
    target = int(math.exp(rng.uniform(math.log(5000), math.log(50000))))
    pdf = i >= n_docs - n_pdf
    md = not pdf and rng.random() < 0.6
    text = document(target, md)[:target] + "\n"
    name = f"pdf-src-{i:03d}.txt" if pdf else f"doc-{i:03d}.{'md' if md else 'txt'}"
    with open(os.path.join(out, name), "w") as f:
        f.write(text)
    total += len(text)
print(f"{n_docs} documents, {total / 1e6:.2f} MB of text, from {len(sources)} source files ({len(words)} words)")
