#!/usr/bin/env python3
"""Writes a large chat in Open WebUI's shape, as the body of POST /api/chats/new:

    {"chat": {"id", "title", "models", "params", "history": {"messages": {id: msg}, "currentId"},
              "messages": [msg, ...], "tags", "files", "timestamp"}}

    gen-chat.py OUT.json [messages=2000] [seed=1]

Messages alternate user/assistant along one branch (each message appears in history.messages and in the
messages list, as Open WebUI stores it). Content lengths are drawn to look like real conversations: questions
of about 40-700 characters, answers of about 250-2,800 characters (each overshoots by up to one paragraph) of
markdown with code blocks, lists, quotes, escapes and some non-ASCII text. With the defaults the file is about
5.1 MB.
"""
import json
import random
import sys
import uuid

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)

WORDS = ("the model returns a response with tokens and context window latency throughput database index query "
         "function variable parameter we should consider whether this approach handles edge cases correctly "
         "for example when the input is empty or very large performance memory allocation garbage collector "
         "thread pool request handler cache eviction policy serialization schema migration transaction "
         "naïve café résumé — “quoted” ‘text’ 日本語 テキスト emoji 🙂 über straße").split()
CODE = [
    'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n',
    'for (int i = 0; i < items.size(); i++) {\n    total += items.get(i).price() * qty[i];\n}\n',
    'SELECT u.name, COUNT(*) AS n\nFROM feedback f JOIN users u ON u.id = f.user_id\nGROUP BY u.name\nORDER BY n DESC;\n',
    'const res = await fetch("/api/chats/" + id, {method: "POST", body: JSON.stringify({chat})});\n',
    'echo "path: C:\\\\Users\\\\bench\\t(tab)" | sed -e \'s/\\\\/\\//g\'\n',
]


def sentence():
    n = rng.randint(6, 22)
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + rng.choice([".", ".", "?", "!"])


def text(target):
    parts, size = [], 0
    while size < target:
        r = rng.random()
        if r < 0.12:
            block = "```" + rng.choice(["python", "java", "sql", "js", "bash"]) + "\n" + rng.choice(CODE) + "```"
        elif r < 0.25:
            block = "\n".join(f"{i + 1}. {sentence()}" for i in range(rng.randint(2, 5)))
        elif r < 0.30:
            block = "> " + sentence()
        elif r < 0.35:
            block = "## " + sentence()[:40]
        else:
            block = " ".join(sentence() for _ in range(rng.randint(1, 4)))
        parts.append(block)
        size += len(block) + 2
    return "\n\n".join(parts)


models = ["llama3.1:8b", "gpt-4o"]
base_ts = 1_730_000_000
history, listing, parent = {}, [], None
for i in range(count):
    mid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    ts = base_ts + i * 37
    if i % 2 == 0:
        msg = {"id": mid, "parentId": parent, "childrenIds": [], "role": "user",
               "content": text(rng.choice([40, 100, 200, 350, 700])), "timestamp": ts, "models": models[:1]}
    else:
        msg = {"id": mid, "parentId": parent, "childrenIds": [], "role": "assistant",
               "content": text(rng.choice([250, 500, 800, 1100, 1600, 2800])), "model": models[0],
               "modelName": "Llama 3.1 8B", "modelIdx": 0, "userContext": None, "timestamp": ts + 5, "done": True,
               "usage": {"prompt_tokens": rng.randint(100, 8000), "completion_tokens": rng.randint(50, 1500),
                         "total_tokens": rng.randint(200, 9000), "response_token/s": round(rng.uniform(10, 120), 2),
                         "total_duration": rng.randint(10**9, 6 * 10**10)}}
    if parent:
        history[parent]["childrenIds"].append(mid)
    history[mid] = msg
    listing.append(msg)
    parent = mid

chat = {"chat": {"id": "", "title": "Benchmark conversation", "models": models[:1], "params": {},
                 "history": {"messages": history, "currentId": parent}, "messages": listing,
                 "tags": [], "files": [], "timestamp": base_ts * 1000}}
with open(out, "w", encoding="utf-8") as f:
    json.dump(chat, f, ensure_ascii=False, separators=(",", ":"))
size = len(json.dumps(chat, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
print(f"{out}: {count} messages, {size / 1e6:.2f} MB", file=sys.stderr)
