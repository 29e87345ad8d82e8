#!/usr/bin/python3
"""A reference CLFT in plain torch (no timm), written from the CLFT paper's model code (its timm ViT
and decoder) and the architecture constants of the state-dict manifests in data/clft (see data/README.md).

It is the numeric reference for the Java model: the module names are chosen so that state_dict() has exactly
the keys, shapes and key order of the AIM trainer's model (checked against clft/state-dict-*.tsv by
make_torch_fixtures.py). Run it directly to check the key lists:

    /usr/bin/python3 src/test/python/clft_reference.py data/clft

Pieces (each a plain nn.Module, also used for the building-block references in blocks.pth):
  ViT (timm VisionTransformer layout): patch_embed.proj conv, cls_token, pos_embed over all tokens, pre-norm
  blocks (LayerNorm eps 1e-6, qkv with bias, scale head_dim^-0.5, exact GELU MLP), final norm, head Linear(D, 1000);
  optional ResNetV2-50 hybrid stem (StdConv2dSame eps 1e-8, GroupNorm 32/1e-5, MaxPool2dSame -inf);
  Reassemble (read "projection" -> (B, D, h, w) -> conv1x1 -> resample by 4/8/16/32);
  Fusion (three ResidualConvUnits with the in-place ReLU quirk, bilinear x2 align_corners=True);
  HeadSeg; CLFT with modes rgb / lidar / cross_fusion (AIM semantics, spec 3.5).
"""
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

LN_EPS = 1e-6
GN_EPS = 1e-5
STD_CONV_EPS = 1e-8


# ---------------------------------------------------------------------------------------------- ViT


class Attention(nn.Module):
    """timm Attention: qkv Linear with bias, softmax((q * scale) @ k^T) @ v, proj."""

    def __init__(self, dim, heads, device=None):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=True, device=device)
        self.proj = nn.Linear(dim, dim, device=device)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q * self.scale) @ k.transpose(-2, -1)
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj(x)


class Mlp(nn.Module):
    """fc1 -> exact GELU -> fc2."""

    def __init__(self, dim, hidden, device=None):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden, device=device)
        self.fc2 = nn.Linear(hidden, dim, device=device)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm ViT block: x + attn(norm1(x)), then + mlp(norm2(x))."""

    def __init__(self, dim, heads, mlp_ratio=4, device=None):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=LN_EPS, device=device)
        self.attn = Attention(dim, heads, device=device)
        self.norm2 = nn.LayerNorm(dim, eps=LN_EPS, device=device)
        self.mlp = Mlp(dim, dim * mlp_ratio, device=device)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    """Conv k16 s16 (or the hybrid's ResNet feature map + 1x1 conv), flattened to (B, h*w, D), row-major."""

    def __init__(self, dim, patch=16, hybrid=False, device=None):
        super().__init__()
        if hybrid:
            self.backbone = ResNetV2Stem(device=device)
            self.proj = nn.Conv2d(1024, dim, 1, 1, device=device)
        else:
            self.backbone = None
            self.proj = nn.Conv2d(3, dim, patch, patch, device=device)

    def forward(self, x):
        if self.backbone is not None:
            x = self.backbone(x)
        return self.proj(x).flatten(2).transpose(1, 2)


class VisionTransformer(nn.Module):
    """timm VisionTransformer with class token, pos_embed over all tokens, final norm and head."""

    def __init__(self, dim, depth, heads, tokens, hybrid=False, classes=1000, device=None):
        super().__init__()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim, device=device))
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, dim, device=device))
        self.patch_embed = PatchEmbed(dim, hybrid=hybrid, device=device)
        self.blocks = nn.ModuleList([Block(dim, heads, device=device) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=LN_EPS, device=device)
        self.head = nn.Linear(dim, classes, device=device)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x)
        return self.head(x[:, 0])


# ------------------------------------------------------------------------------------ hybrid stem


def pad_same(x, k, s, value=0.0):
    """TF "SAME" padding from the input size: total max((ceil(i/s)-1)*s + k - i, 0), the extra pixel at the end."""
    ih, iw = x.shape[-2:]
    ph = max((math.ceil(ih / s) - 1) * s + k - ih, 0)
    pw = max((math.ceil(iw / s) - 1) * s + k - iw, 0)
    return F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2], value=value)


def standardize(weight, eps=STD_CONV_EPS):
    """Per output channel: (w - mean) / sqrt(biased var + eps)."""
    flat = weight.reshape(weight.shape[0], -1)
    mean = flat.mean(dim=1, keepdim=True)
    var = flat.var(dim=1, unbiased=False, keepdim=True)
    return ((flat - mean) / torch.sqrt(var + eps)).reshape_as(weight)


class StdConv2dSame(nn.Conv2d):
    """timm StdConv2dSame: weight standardisation, no bias, TF-SAME padding."""

    def __init__(self, cin, cout, k, stride=1, device=None):
        super().__init__(cin, cout, k, stride, padding=0, bias=False, device=device)

    def forward(self, x):
        x = pad_same(x, self.kernel_size[0], self.stride[0])
        return F.conv2d(x, standardize(self.weight), None, self.stride)


def max_pool_same(x, k=3, s=2):
    """timm MaxPool2dSame: SAME padding with -inf, then max pool without padding."""
    return F.max_pool2d(pad_same(x, k, s, value=-float("inf")), k, s)


class Stem(nn.Module):
    def __init__(self, device=None):
        super().__init__()
        self.conv = StdConv2dSame(3, 64, 7, 2, device=device)
        self.norm = nn.GroupNorm(32, 64, eps=GN_EPS, device=device)

    def forward(self, x):
        return max_pool_same(F.relu(self.norm(self.conv(x))))


class Downsample(nn.Module):
    def __init__(self, cin, cout, stride, device=None):
        super().__init__()
        self.conv = StdConv2dSame(cin, cout, 1, stride, device=device)
        self.norm = nn.GroupNorm(32, cout, eps=GN_EPS, device=device)

    def forward(self, x):
        return self.norm(self.conv(x))


class Bottleneck(nn.Module):
    """Non-pre-activation ResNetV2 bottleneck; stride on conv2; ReLU(norm3(conv3) + shortcut)."""

    def __init__(self, cin, cout, stride, device=None):
        super().__init__()
        mid = cout // 4
        self.downsample = Downsample(cin, cout, stride, device) if (cin != cout or stride != 1) else None
        self.conv1 = StdConv2dSame(cin, mid, 1, device=device)
        self.norm1 = nn.GroupNorm(32, mid, eps=GN_EPS, device=device)
        self.conv2 = StdConv2dSame(mid, mid, 3, stride, device=device)
        self.norm2 = nn.GroupNorm(32, mid, eps=GN_EPS, device=device)
        self.conv3 = StdConv2dSame(mid, cout, 1, device=device)
        self.norm3 = nn.GroupNorm(32, cout, eps=GN_EPS, device=device)

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        x = F.relu(self.norm1(self.conv1(x)))
        x = F.relu(self.norm2(self.conv2(x)))
        x = self.norm3(self.conv3(x))
        return F.relu(x + shortcut)


class Stage(nn.Module):
    def __init__(self, cin, cout, depth, stride, device=None):
        super().__init__()
        self.blocks = nn.Sequential(
            *[Bottleneck(cin if i == 0 else cout, cout, stride if i == 0 else 1, device) for i in range(depth)])

    def forward(self, x):
        return self.blocks(x)


class ResNetV2Stem(nn.Module):
    """ResNetV2-50 stages (3, 4, 9) at stride 16: the hybrid's patch_embed.backbone."""

    def __init__(self, device=None):
        super().__init__()
        self.stem = Stem(device)
        self.stages = nn.Sequential(
            Stage(64, 256, 3, 1, device), Stage(256, 512, 4, 2, device), Stage(512, 1024, 9, 2, device))

    def forward(self, x):
        return self.stages(self.stem(x))


# ---------------------------------------------------------------------------------------- decoder


class ReadProjection(nn.Module):
    """Read "projection": patch tokens ++ CLS -> Linear(2D, D) -> exact GELU."""

    def __init__(self, dim, device=None):
        super().__init__()
        self.project = nn.Sequential(nn.Linear(2 * dim, dim, device=device), nn.GELU())

    def forward(self, x):
        readout = x[:, 0].unsqueeze(1).expand_as(x[:, 1:])
        return self.project(torch.cat((x[:, 1:], readout), -1))


class Resample(nn.Module):
    """conv1 1x1 D -> resample_dim, then conv2: ConvT k4 s4 (4), ConvT k2 s2 (8), none (16), Conv k2 s2 (32)."""

    def __init__(self, factor, dim, resample_dim, device=None):
        super().__init__()
        self.conv1 = nn.Conv2d(dim, resample_dim, 1, device=device)
        if factor == 4:
            self.conv2 = nn.ConvTranspose2d(resample_dim, resample_dim, 4, 4, device=device)
        elif factor == 8:
            self.conv2 = nn.ConvTranspose2d(resample_dim, resample_dim, 2, 2, device=device)
        elif factor == 16:
            self.conv2 = nn.Identity()
        elif factor == 32:
            self.conv2 = nn.Conv2d(resample_dim, resample_dim, 2, 2, device=device)
        else:
            raise ValueError("reassemble factor %d" % factor)

    def forward(self, x):
        return self.conv2(self.conv1(x))


class Reassemble(nn.Module):
    def __init__(self, grid, factor, dim, resample_dim, device=None):
        super().__init__()
        self.grid = grid
        self.read = ReadProjection(dim, device)
        self.resample = Resample(factor, dim, resample_dim, device)

    def forward(self, x):
        x = self.read(x)
        b, n, d = x.shape
        h, w = self.grid
        x = x.transpose(1, 2).reshape(b, d, h, w)  # token order (h, w), row-major
        return self.resample(x)


class ResidualConvUnit(nn.Module):
    """DPT RCU: the ReLU is in place, so the skip adds ReLU(x), not x (spec 3.3)."""

    def __init__(self, features, device=None):
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, 3, 1, 1, device=device)
        self.conv2 = nn.Conv2d(features, features, 3, 1, 1, device=device)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        out = self.relu(x)
        out = self.conv1(out)
        out = self.relu(out)
        out = self.conv2(out)
        return out + x


class Fusion(nn.Module):
    """S = RCU_rgb(R) + RCU_xyz(L) + previous (inactive terms are zero); out = up2(RCU_2(S))."""

    def __init__(self, features, device=None):
        super().__init__()
        self.res_conv_xyz = ResidualConvUnit(features, device)
        self.res_conv_rgb = ResidualConvUnit(features, device)
        self.res_conv2 = ResidualConvUnit(features, device)

    def forward(self, rgb, lidar, previous):
        rgb_term = self.res_conv_rgb(rgb) if rgb is not None else torch.zeros_like(previous)
        xyz_term = self.res_conv_xyz(lidar) if lidar is not None else torch.zeros_like(previous)
        s = self.res_conv2(rgb_term + xyz_term + previous)
        return F.interpolate(s, scale_factor=2, mode="bilinear", align_corners=True)


class Interpolate(nn.Module):
    def forward(self, x):
        return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)


class HeadSeg(nn.Module):
    """conv3x3 F -> F/2, up x2, conv3x3 -> 32, ReLU, conv1x1 -> classes."""

    def __init__(self, features, classes, device=None):
        super().__init__()
        self.head = nn.Sequential(
            nn.Conv2d(features, features // 2, 3, 1, 1, device=device),
            Interpolate(),
            nn.Conv2d(features // 2, 32, 3, 1, 1, device=device),
            nn.ReLU(),
            nn.Conv2d(32, classes, 1, 1, 0, device=device))

    def forward(self, x):
        return self.head(x)


# -------------------------------------------------------------------------------------------- CLFT

CONFIGS = {
    # name: (width, depth, heads, hybrid, hooks)
    "vit_micro_patch16_384": (64, 4, 2, False, [0, 1, 2, 3]),
    "vit_tiny_patch16_384": (192, 12, 3, False, [2, 5, 8, 11]),
    "vit_base_patch16_384": (768, 12, 12, False, [2, 5, 8, 11]),
    "vit_large_patch16_384": (1024, 24, 16, False, [5, 11, 17, 23]),
    "vit_base_resnet50_384": (768, 12, 12, True, [2, 5, 8, 11]),
}


class CLFT(nn.Module):
    """The AIM CLFT: one ViT encoder (run once per active modality), per-modality reassembles, fusions, head."""

    def __init__(self, backbone="vit_base_patch16_384", classes=4, image_size=384, resample_dim=256,
                 hooks=None, reassembles=(4, 8, 16, 32), device=None):
        super().__init__()
        width, depth, heads, hybrid, default_hooks = CONFIGS[backbone]
        self.hooks = list(hooks if hooks is not None else default_hooks)
        grid = image_size // 16
        self.transformer_encoders = VisionTransformer(
            width, depth, heads, grid * grid + 1, hybrid=hybrid, device=device)
        self.reassembles_RGB = nn.ModuleList(
            [Reassemble((grid, grid), s, width, resample_dim, device) for s in reassembles])
        self.reassembles_XYZ = nn.ModuleList(
            [Reassemble((grid, grid), s, width, resample_dim, device) for s in reassembles])
        self.fusions = nn.ModuleList([Fusion(resample_dim, device) for _ in reassembles])
        self.head_segmentation = HeadSeg(resample_dim, classes, device)
        self.activation = {}
        for h in self.hooks:
            self.transformer_encoders.blocks[h].register_forward_hook(self._hook("t%d" % h))

    def _hook(self, name):
        def hook(module, inputs, output):
            self.activation[name] = output
        return hook

    def encode(self, x):
        """Runs the whole ViT (head included, unused) and returns the hooked block outputs."""
        self.activation = {}
        self.transformer_encoders(x)
        return dict(self.activation)

    def forward(self, rgb, lidar, modal="rgb"):
        act_rgb = self.encode(rgb) if modal in ("rgb", "cross_fusion") else None
        act_xyz = self.encode(lidar) if modal in ("lidar", "cross_fusion") else None
        previous = None
        for i in range(len(self.fusions) - 1, -1, -1):
            key = "t%d" % self.hooks[i]
            r = self.reassembles_RGB[i](act_rgb[key]) if act_rgb is not None else None
            x = self.reassembles_XYZ[i](act_xyz[key]) if act_xyz is not None else None
            if previous is None:
                previous = torch.zeros_like(r if r is not None else x)
            previous = self.fusions[i](r, x, previous)
        return self.head_segmentation(previous)


def build_micro(classes=4):
    """The MICRO configuration: vit_micro_patch16_384 (64 wide, 4 blocks, 2 heads), hooks [0,1,2,3],
    reassembles [4,8,16,32], resample_dim 16, 64x64 input (4x4 patches, 17 tokens)."""
    return CLFT("vit_micro_patch16_384", classes=classes, image_size=64, resample_dim=16)


def init_micro(model, seed=0):
    """Seeded init that keeps a signal through the random model: PyTorch defaults in the ViT, then
    non-trivial LayerNorm affine, cls_token and pos_embed; the decoder gets N(0, 1/fan_in) weights and
    N(0, 0.05^2) biases, so that the logits depend on the input (std about 1) instead of on the biases."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("cls_token") or name.endswith("pos_embed"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)
            elif ".norm" in name and name.endswith(".weight"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g))
            elif ".norm" in name and name.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
        for name, m in model.named_modules():
            if name.startswith("transformer_encoders"):
                continue
            if isinstance(m, nn.ConvTranspose2d):
                fan_in = m.weight.shape[0]
            elif isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
            else:
                continue
            m.weight.copy_(torch.randn(m.weight.shape, generator=g) / math.sqrt(fan_in))
            m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.05)
    return model


def read_tsv(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.strip():
                key, shape, dtype = line.rstrip("\n").split("\t")
                out.append((key, tuple(int(s) for s in shape.split("x")), dtype))
    return out


def check_against_tsv(backbone, tsv):
    """Builds the paper model on the meta device (no memory) and compares keys, order, shapes, dtypes."""
    model = CLFT(backbone, classes=4, device="meta")
    got = [(k, tuple(v.shape), str(v.dtype).replace("torch.", "")) for k, v in model.state_dict().items()]
    want = read_tsv(tsv)
    if got != want:
        for i, (a, b) in enumerate(zip(got, want)):
            if a != b:
                raise AssertionError("%s: entry %d differs: ours %s, TSV %s" % (tsv, i, a, b))
        raise AssertionError("%s: %d keys here, %d in the TSV" % (tsv, len(got), len(want)))
    return len(got), sum(math.prod(s) for _, s, _ in got)


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else "data/clft"
    for bb, tsv in [("vit_base_patch16_384", "state-dict-base.tsv"),
                    ("vit_large_patch16_384", "state-dict-large.tsv"),
                    ("vit_base_resnet50_384", "state-dict-hybrid.tsv")]:
        n, params = check_against_tsv(bb, root + "/" + tsv)
        print("%s: %d keys, %d parameters match %s" % (bb, n, params, tsv))
