#!/usr/bin/python3
"""Writes a CLFT of the reference code (clft_reference.py) as a TorchScript file, for
`benchmark model --against FILE.pt`, and times its eager PyTorch forward.

The model is cross_fusion at 384x384 with the backbone's default hooks, random (PyTorch's default) weights: the
benchmark compares graphs and their cost, not outputs. Tracing records the same operations the eager forward runs.

usage: clft_torchscript.py <backbone> <resample_dim> <classes> <out.pt> [eager_runs] [threads]
  backbone: vit_tiny_patch16_384 (CLFT-Tiny), vit_base_patch16_384 (CLFT-Base), vit_base_resnet50_384 (CLFT-Hybrid)
Prints one JSON line: the file, and with eager_runs > 0 the eager forward's mean and min milliseconds (2 warm-up
forwards first; set OPENBLAS/OMP threads with `threads`).
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clft_reference import CLFT  # noqa: E402


class CrossFusion(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, rgb, lidar):
        return self.model(rgb, lidar, "cross_fusion")


def main():
    backbone, resample, classes, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    threads = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    if threads > 0:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = CrossFusion(CLFT(backbone, classes=classes, image_size=384, resample_dim=resample)).eval()
    rgb = torch.randn(1, 3, 384, 384)
    lidar = torch.randn(1, 3, 384, 384)
    with torch.no_grad():
        traced = torch.jit.trace(net, (rgb, lidar), check_trace=False)
        torch.jit.save(traced, out)
        result = {"file": out, "backbone": backbone, "parameters": sum(p.numel() for p in net.parameters())}
        if runs > 0:
            for _ in range(2):
                net(rgb, lidar)
            ms = []
            for _ in range(runs):
                t0 = time.perf_counter()
                net(rgb, lidar)
                ms.append((time.perf_counter() - t0) * 1000)
            result.update(eagerMeanMs=sum(ms) / len(ms), eagerMinMs=min(ms), eagerRuns=runs,
                          torch=torch.__version__, threads=torch.get_num_threads())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
