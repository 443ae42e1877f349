#!/usr/bin/env python3
"""Summarise an ONNX Runtime profile (bench/OrtBatch.java ... profile=PREFIX): kernel time per operator type per run.

    bench/ort-profile.py PROFILE.json [tokens_per_run]
With tokens_per_run, also the int8 GEMM rate of MiniLM-L6 (10.6 M multiply-adds per token in its 36 quantized
matrix products: 6 layers x (4 x 384x384 + 2 x 384x1536))."""
import collections
import json
import sys

events = json.load(open(sys.argv[1]))
by_op, nodes = collections.Counter(), collections.Counter()
runs, run_us = 0, 0
for e in events:
    if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
        by_op[e["args"]["op_name"]] += e["dur"]
        nodes[e["args"]["op_name"]] += 1
    elif e.get("cat") == "Session" and e["name"] == "model_run":
        runs += 1
        run_us += e["dur"]
total = sum(by_op.values())
print(f"{runs} runs, model_run {run_us / runs / 1000:.2f} ms, kernels {total / runs / 1000:.2f} ms per run")
for op, us in by_op.most_common():
    print(f"{op:28s} {us / runs / 1000:7.3f} ms/run {100 * us / total:5.1f} %  {nodes[op] / runs:.0f} nodes")
if len(sys.argv) > 2:
    gemm = (by_op["DynamicQuantizeMatMul"] + by_op["MatMulIntegerToFloat"] + by_op["MatMulInteger"]) / runs / 1e6
    macs = float(sys.argv[2]) * 6 * (4 * 384 * 384 + 2 * 384 * 1536)
    print(f"int8 GEMMs: {gemm * 1000:.2f} ms/run for {macs / 1e9:.2f} G multiply-adds = {macs / gemm / 1e9:.0f} G MAC/s")
