#!/usr/bin/python3
"""Builds the PyTorch interop fixtures of Fusion Node with Debian's python3-torch (1.13).

Run from the repository root:  /usr/bin/python3 src/test/python/make_torch_fixtures.py

Everything goes to src/test/resources/fixtures/torch/ (described file by file in the README.md there):
checkpoints in PyTorch's zip format with the numbers the Java reader must find (manifest.json, written here,
so the Java tests compare against Python's numbers, not their own), files the reader must refuse, a
TorchScript module with its expected output, numeric references for the CLFT building blocks (blocks.pth),
and the MICRO CLFT with its inputs and logits. Seeds are fixed; running it twice gives the same bytes.
Files made from untrusted-looking pickles are only ever opened here with weights_only=True.
"""
import io
import json
import math
import os
import pickle
import re
import sys
import zipfile
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clft_reference as ref  # noqa: E402

OUT = os.path.join("src", "test", "resources", "fixtures", "torch")
TSV_DIR = os.environ.get("CLFT_TSV_DIR", "data/clft")


# --------------------------------------------------------------------------------------- helpers


def describe(t):
    """dtype, shape, stride, sum (float64 or exact int) and the first values (row-major) of a tensor."""
    flat = t.detach().reshape(-1)
    if t.dtype == torch.bool:
        values, total = flat.to(torch.int64).tolist(), int(flat.sum())
    elif t.dtype.is_floating_point:
        values, total = flat.double().tolist(), flat.double().sum().item()
    else:
        values, total = flat.tolist(), int(flat.to(torch.int64).sum())
    return {
        "dtype": str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "stride": list(t.stride()),
        "storage_offset": t.storage_offset(),
        "contiguous": t.is_contiguous(),
        "parameter": isinstance(t, nn.Parameter),
        "numel": t.numel(),
        "sum": total,
        "first": values[:16],
        "last": values[-1] if values else None,
    }


def tensors_of(tree, prefix=""):
    """Flattens an object tree to {path: tensor}; path parts are joined with '/'."""
    out = OrderedDict()
    if isinstance(tree, torch.Tensor):
        out[prefix] = tree
    elif isinstance(tree, dict):
        for k, v in tree.items():
            out.update(tensors_of(v, (prefix + "/" if prefix else "") + str(k)))
    elif isinstance(tree, (list, tuple)):
        for i, v in enumerate(tree):
            out.update(tensors_of(v, (prefix + "/" if prefix else "") + str(i)))
    return out


def save(obj, name, **kwargs):
    path = os.path.join(OUT, name)
    torch.save(obj, path, **kwargs)
    return path


def manifest_entry(obj):
    return {"tensors": OrderedDict((k, describe(v)) for k, v in tensors_of(obj).items())}


# ---------------------------------------------------------------------------- a. state dicts


class DtypeZoo(nn.Module):
    """Parameters plus one buffer per dtype, views that share storage, a 0-d, an expanded and an empty tensor."""

    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(10)
        self.fc = nn.Linear(6, 4)
        self.conv = nn.Conv2d(3, 5, 3)
        w = self.fc.weight.detach()
        self.register_buffer("f16", torch.randn(3, 4, generator=g).half())
        self.register_buffer("bf16", torch.randn(2, 3, generator=g).bfloat16())
        self.register_buffer("f64", torch.randn(5, generator=g, dtype=torch.float64))
        self.register_buffer("i64", torch.arange(-5, 7, dtype=torch.int64).reshape(3, 4) * 1000003 + 2 ** 40)
        self.register_buffer("i32", torch.randint(-2 ** 31, 2 ** 31 - 1, (7,), generator=g, dtype=torch.int32))
        self.register_buffer("i16", torch.randint(-32768, 32767, (2, 5), generator=g, dtype=torch.int16))
        self.register_buffer("i8", torch.randint(-128, 127, (9,), generator=g, dtype=torch.int8))
        self.register_buffer("u8", torch.randint(0, 255, (3, 3), generator=g, dtype=torch.uint8))
        self.register_buffer("flags", torch.randn(6, generator=g) > 0)
        # views of fc.weight's storage: transposed, one row (storage offset 12), every other column
        self.register_buffer("fc_weight_t", w.t())
        self.register_buffer("fc_weight_row2", w[2])
        self.register_buffer("fc_weight_cols", w[:, ::2])
        self.register_buffer("f16_t", self.f16.t())
        self.register_buffer("scalar", torch.tensor(3.25))
        self.register_buffer("expanded", torch.arange(3.0).expand(4, 3))
        self.register_buffer("channels_last",
                             self.conv.weight.detach().clone().to(memory_format=torch.channels_last))
        self.register_buffer("empty", torch.zeros(0, 3))


def make_state_dicts(manifest):
    torch.manual_seed(0)
    zoo = DtypeZoo()
    sd = zoo.state_dict(keep_vars=True)  # parameters stay nn.Parameter: exercises _rebuild_parameter
    assert sd["fc_weight_t"].data_ptr() == sd["fc.weight"].data_ptr()
    assert sd["fc_weight_row2"].storage_offset() == 12
    save(sd, "state_dict.pth")
    manifest["state_dict.pth"] = manifest_entry(sd)
    manifest["state_dict.pth"]["shares_storage_with_fc.weight"] = [
        "fc_weight_t", "fc_weight_row2", "fc_weight_cols"]

    # the same dict with pickle protocol 4 (STACK_GLOBAL, FRAME, MEMOIZE instead of GLOBAL/BINPUT)
    small = OrderedDict([("fc.weight", zoo.fc.weight.detach()), ("fc_weight_t", zoo.fc.weight.detach().t()),
                         ("bf16", zoo.bf16), ("flags", zoo.flags)])
    save(small, "protocol4.pth", pickle_protocol=4)
    manifest["protocol4.pth"] = manifest_entry(small)

    # a real trainer checkpoint after three Adam steps
    torch.manual_seed(1)
    net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 5 * 5, 3))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    g = torch.Generator().manual_seed(2)
    for _ in range(3):
        x = torch.randn(2, 3, 5, 5, generator=g)
        y = torch.randint(0, 3, (2,), generator=g)
        loss = F.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    trainer = {"epoch": 3, "model_state_dict": net.state_dict(), "optimizer_state_dict": opt.state_dict()}
    save(trainer, "trainer_checkpoint.pth")
    entry = manifest_entry(trainer)
    entry["epoch"] = 3
    entry["param_groups"] = trainer["optimizer_state_dict"]["param_groups"]
    manifest["trainer_checkpoint.pth"] = entry

    # the ensemble file of clft-spec 3.10: three full training checkpoints in one dict
    members = OrderedDict()
    for i, name in enumerate(["vehicle", "sign", "human"]):
        torch.manual_seed(20 + i)
        m = nn.Linear(4, 2)
        members[name] = {"epoch": 10 + i, "model_state_dict": m.state_dict(),
                         "optimizer_state_dict": torch.optim.Adam(m.parameters(), lr=8e-5).state_dict()}
    ensemble = {"ensemble_models": members,
                "merged_from": ["vehicle.pth", "sign.pth", "human.pth"],
                "merge_method": "pseudo_merged_ensemble",
                "description": "three 2-class specialists (fixture)"}
    save(ensemble, "ensemble.pth")
    entry = manifest_entry(ensemble)
    entry["epochs"] = {k: v["epoch"] for k, v in members.items()}
    manifest["ensemble.pth"] = entry


def make_refused():
    """legacy.pth (pre-1.6 format), forbidden_global.pth (a valid zip whose pickle calls os.system)."""
    small = OrderedDict([("w", torch.arange(6.0).reshape(2, 3))])
    path = save(small, "legacy.pth", _use_new_zipfile_serialization=False)
    # the legacy format names storages by memory address: rename them (same length) so the bytes are stable
    data = open(path, "rb").read()
    keys = sorted(set(re.findall(rb"X(?:.)\x00\x00\x00(\d{6,20})q", data, re.S)))
    for i, key in enumerate(keys):
        data = data.replace(key, str(i).rjust(len(key), "0").encode())
    with open(path, "wb") as f:
        f.write(data)
    assert torch.equal(torch.load(path, weights_only=True)["w"], small["w"])

    buf = io.BytesIO()
    torch.save(small, buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    cmd = b"echo pwned > /tmp/fusionnode-pwned"
    # {'w': ..., 'payload': os.system(cmd)} by hand: GLOBAL 'os system', the command, TUPLE1, REDUCE
    pkl = (b"\x80\x02}q\x00X\x07\x00\x00\x00payloadq\x01cos\nsystem\nq\x02X"
           + len(cmd).to_bytes(4, "little") + cmd + b"\x85Rq\x03s.")
    path = os.path.join(OUT, "forbidden_global.pth")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = pkl if info.filename.endswith("/data.pkl") else src.read(info.filename)
            name = "forbidden_global/" + info.filename.split("/", 1)[1]
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            dst.writestr(zi, data)
    try:
        torch.load(path, weights_only=True)
        raise AssertionError("torch accepted forbidden_global.pth with weights_only=True")
    except pickle.UnpicklingError:
        pass  # "Unsupported class os.system"


# --------------------------------------------------------------------------------- b. TorchScript


class SmallConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


def make_scripted():
    torch.manual_seed(3)
    net = SmallConvNet().eval()
    scripted = torch.jit.script(net)
    path = os.path.join(OUT, "scripted.pt")
    torch.jit.save(scripted, path)
    x = torch.randn(2, 3, 16, 16, generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        y = torch.jit.load(path)(x)
        assert torch.allclose(y, net(x))
    save(OrderedDict([("input", x), ("output", y)]), "scripted_io.pth")


# ------------------------------------------------------------------------- c. building blocks


def make_blocks():
    g = torch.Generator().manual_seed(5)

    def randn(*shape, scale=1.0):
        return torch.randn(*shape, generator=g) * scale

    b = OrderedDict()
    with torch.no_grad():
        # exact (erf) GELU over a grid and random values
        x = torch.cat([torch.linspace(-6, 6, 97), randn(31, scale=3)])
        b["gelu.x"], b["gelu.y"] = x, F.gelu(x)

        # LayerNorm over the last dim, eps 1e-6
        ln = nn.LayerNorm(24, eps=1e-6)
        ln.weight.copy_(1 + 0.1 * randn(24))
        ln.bias.copy_(0.1 * randn(24))
        x = randn(2, 5, 24, scale=2) + 0.5
        b.update({"layernorm.x": x, "layernorm.weight": ln.weight.clone(), "layernorm.bias": ln.bias.clone(),
                  "layernorm.y": ln(x)})

        # timm attention: D 24, 3 heads (head dim 8, scale 8^-0.5)
        torch.manual_seed(6)
        attn = ref.Attention(24, 3)
        x = randn(2, 5, 24)
        y = attn(x)
        # the same from first principles
        qkv = x @ attn.qkv.weight.t() + attn.qkv.bias
        q, k, v = [t.reshape(2, 5, 3, 8).transpose(1, 2) for t in qkv.split(24, dim=-1)]
        a = torch.softmax((q @ k.transpose(-1, -2)) / math.sqrt(8), dim=-1)
        assert torch.allclose(y, ((a @ v).transpose(1, 2).reshape(2, 5, 24)) @ attn.proj.weight.t()
                              + attn.proj.bias, atol=1e-6)
        b["attn.x"] = x
        for n, p in attn.state_dict().items():
            b["attn." + n] = p.clone()
        b["attn.y"] = y

        # a whole pre-norm ViT block (D 24, 3 heads, MLP 96)
        torch.manual_seed(7)
        blk = ref.Block(24, 3)
        for n in ("norm1", "norm2"):
            getattr(blk, n).weight.copy_(1 + 0.1 * randn(24))
            getattr(blk, n).bias.copy_(0.1 * randn(24))
        x = randn(2, 5, 24)
        b["vit_block.x"] = x
        for n, p in blk.state_dict().items():
            b["vit_block." + n] = p.clone()
        b["vit_block.y"] = blk(x)

        # bilinear x2, align_corners=True
        x = randn(1, 3, 5, 7)
        b["upsample_bilinear2x.x"] = x
        b["upsample_bilinear2x.y"] = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)

        # resample convolutions
        torch.manual_seed(8)
        for name, layer, x in [
            ("conv_transpose_k4s4", nn.ConvTranspose2d(6, 4, 4, 4), randn(1, 6, 3, 5)),
            ("conv_transpose_k2s2", nn.ConvTranspose2d(6, 4, 2, 2), randn(1, 6, 3, 5)),
            ("conv_k2s2", nn.Conv2d(6, 4, 2, 2), randn(1, 6, 5, 6)),
        ]:
            b[name + ".x"] = x
            b[name + ".weight"] = layer.weight.clone()
            b[name + ".bias"] = layer.bias.clone()
            b[name + ".y"] = layer(x)

        # GroupNorm 32 groups, eps 1e-5
        gn = nn.GroupNorm(32, 64, eps=1e-5)
        gn.weight.copy_(1 + 0.1 * randn(64))
        gn.bias.copy_(0.1 * randn(64))
        x = randn(2, 64, 3, 5, scale=2) + 1
        b.update({"groupnorm.x": x, "groupnorm.weight": gn.weight.clone(), "groupnorm.bias": gn.bias.clone(),
                  "groupnorm.y": gn(x)})

        # StdConv2dSame (weight standardisation, TF-SAME padding), odd and even inputs
        for name, (cin, cout, k, s) in {
            "stdconv_7x7s2": (3, 8, 7, 2),
            "stdconv_3x3s2": (4, 6, 3, 2),
            "stdconv_3x3s1": (4, 6, 3, 1),
            "stdconv_1x1s1": (4, 6, 1, 1),
            "stdconv_1x1s2": (4, 6, 1, 2),
        }.items():
            torch.manual_seed(9)
            conv = ref.StdConv2dSame(cin, cout, k, s)
            conv.weight.copy_(randn(cout, cin, k, k, scale=0.5) + 0.1)
            b[name + ".weight"] = conv.weight.clone()
            b[name + ".weight_std"] = ref.standardize(conv.weight)
            for parity, hw in (("odd", (13, 11)), ("even", (12, 10))):
                x = randn(1, cin, *hw)
                b["%s.%s.x" % (name, parity)] = x
                b["%s.%s.y" % (name, parity)] = conv(x)

        # MaxPool 3x3/2 with SAME padding and -inf pad value (inputs are mostly negative)
        for parity, hw in (("odd", (9, 7)), ("even", (8, 6))):
            x = randn(1, 2, *hw) - 2
            b["maxpool_same_3x3s2.%s.x" % parity] = x
            b["maxpool_same_3x3s2.%s.y" % parity] = ref.max_pool_same(x)

        # DPT ResidualConvUnit: the in-place ReLU makes the skip add ReLU(x)
        torch.manual_seed(11)
        rcu = ref.ResidualConvUnit(4)
        x = randn(1, 4, 5, 6)
        b["rcu.x"] = x.clone()
        for n, p in rcu.state_dict().items():
            b["rcu." + n] = p.clone()
        y = rcu(x)  # modifies x in place, as in the model
        plain = rcu.conv2(F.relu(rcu.conv1(F.relu(b["rcu.x"]))))
        assert torch.allclose(y, plain + F.relu(b["rcu.x"]))
        assert not torch.allclose(y, plain + b["rcu.x"])
        b["rcu.y"] = y

        # "projection" readout: (B, 1 + h*w, D) -> patches ++ CLS -> Linear(2D, D) -> GELU -> (B, D, h, w)
        torch.manual_seed(12)
        read = ref.ReadProjection(8)
        x = randn(2, 1 + 3 * 4, 8)
        b["readout_projection.x"] = x
        for n, p in read.state_dict().items():
            b["readout_projection." + n] = p.clone()
        b["readout_projection.y"] = read(x).transpose(1, 2).reshape(2, 8, 3, 4)

    b = OrderedDict((k, v.detach().contiguous()) for k, v in b.items())
    save(b, "blocks.pth")
    return b


# ----------------------------------------------------------------------------------- d. micro CLFT


def make_micro(manifest):
    for bb, tsv in [("vit_base_patch16_384", "state-dict-base.tsv"),
                    ("vit_large_patch16_384", "state-dict-large.tsv"),
                    ("vit_base_resnet50_384", "state-dict-hybrid.tsv")]:
        path = os.path.join(TSV_DIR, tsv)
        if os.path.exists(path):
            n, params = ref.check_against_tsv(bb, path)
            print("  %s: %d keys, %d parameters match %s" % (bb, n, params, tsv))
        else:
            print("  %s not found: key check skipped" % path)

    torch.manual_seed(0)
    model = ref.init_micro(ref.build_micro(), seed=0).eval()
    opt = torch.optim.Adam(model.parameters(), lr=8e-5)
    ckpt = {"epoch": 0, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict()}
    save(ckpt, "micro_clft.pth")
    manifest["micro_clft.pth"] = manifest_entry(ckpt)

    g = torch.Generator().manual_seed(13)

    def lidar_like(n):
        return torch.rand(n, 3, 64, 64, generator=g) * (torch.rand(n, 1, 64, 64, generator=g) > 0.7)

    rgb = torch.randn(1, 3, 64, 64, generator=g)
    lidar = lidar_like(1)
    rgb2 = torch.cat([rgb, torch.randn(1, 3, 64, 64, generator=g)])
    lidar2 = torch.cat([lidar, lidar_like(1)])
    io_ = OrderedDict([("rgb", rgb), ("lidar", lidar), ("rgb_batch2", rgb2), ("lidar_batch2", lidar2)])
    with torch.no_grad():
        for name, x in (("rgb", rgb), ("lidar", lidar)):
            hooks = model.encode(x)
            for h in model.hooks:
                io_["hooks.%s.t%d" % (name, h)] = hooks["t%d" % h]
            io_["vit_head.%s" % name] = model.transformer_encoders(x)
        for mode in ("rgb", "lidar", "cross_fusion"):
            io_["logits.%s" % mode] = model(rgb.clone(), lidar.clone(), mode)
            io_["logits_batch2.%s" % mode] = model(rgb2.clone(), lidar2.clone(), mode)
            assert torch.allclose(io_["logits_batch2.%s" % mode][:1], io_["logits.%s" % mode], atol=1e-5)
    assert not torch.allclose(io_["logits.rgb"], io_["logits.cross_fusion"])
    save(io_, "micro_clft_io.pth")

    # the same model exported as TorchScript (the node's alternative backend): forward(rgb, lidar)
    class CrossFusion(nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, rgb, lidar):
            return self.m(rgb, lidar, "cross_fusion")

    with torch.no_grad():
        traced = torch.jit.trace(CrossFusion(model).eval(), (rgb2.clone(), lidar2.clone()), check_trace=False)
        for x, y, want in ((rgb, lidar, io_["logits.cross_fusion"]), (rgb2, lidar2, io_["logits_batch2.cross_fusion"])):
            assert torch.allclose(traced(x.clone(), y.clone()), want, atol=1e-5), "traced model differs"
    torch.jit.save(traced, os.path.join(OUT, "micro_clft_cross_fusion.pt"))


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes set-ordered constants: fix the hash seed so scripted.pt is stable
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)  # same numbers on every machine
    manifest = OrderedDict()
    print("state dicts")
    make_state_dicts(manifest)
    print("refused files")
    make_refused()
    print("TorchScript")
    make_scripted()
    print("building blocks")
    make_blocks()
    print("micro CLFT")
    make_micro(manifest)
    manifest["_generator"] = {"torch": torch.__version__, "python": sys.version.split()[0]}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    total = 0
    for name in sorted(os.listdir(OUT)):
        size = os.path.getsize(os.path.join(OUT, name))
        total += size
        print("  %-26s %9d bytes" % (name, size))
    print("  %-26s %9d bytes" % ("total", total))


if __name__ == "__main__":
    main()
