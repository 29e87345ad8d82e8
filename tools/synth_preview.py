#!/usr/bin/env python3
"""Contact sheet of a synthetic (or real) ZOD-layout drive: per chosen frame the camera image,
the colourised camera annotation and the LiDAR points (from lidar_png) over the camera image.

usage: synth_preview.py DATASET_ROOT OUT.png frame_000000 [frame_000123 ...] [--width 480]
Needs python3 with numpy and PIL (Debian: apt-get install python3-numpy python3-pil).
"""
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ZOD_COLOURS = np.array([[0, 0, 0], [90, 90, 90], [0, 120, 255], [255, 220, 0],
                        [255, 0, 255], [255, 40, 40]] + [[255, 255, 255]] * 250, dtype=np.uint8)


def row(root, name, width):
    cam = Image.open(root / "camera" / f"{name}.png").convert("RGB")
    ann = np.array(Image.open(root / "annotation_camera_only" / f"{name}.png"))
    lid = np.array(Image.open(root / "lidar_png" / f"{name}.png").convert("RGB"))
    colour = Image.fromarray(ZOD_COLOURS[ann])
    overlay = np.array(cam).copy() // 2
    hit = lid.max(axis=2) > 0
    depth = lid[..., 0].astype(np.float32) / 255.0 * 100.0  # R = Z (depth), metres
    hue = np.clip(depth / 40.0, 0, 1)
    overlay[hit] = np.stack([255 * (1 - hue), 255 * (1 - np.abs(hue - 0.5) * 2), 255 * hue],
                            axis=-1)[hit].astype(np.uint8)
    h = int(cam.height * width / cam.width)
    tiles = [cam, colour, Image.fromarray(overlay)]
    return [t.resize((width, h), Image.NEAREST if t is colour else Image.BILINEAR) for t in tiles]


def main(argv):
    width = 480
    if "--width" in argv:
        i = argv.index("--width")
        width = int(argv[i + 1])
        del argv[i:i + 2]
    root, out, names = Path(argv[1]), Path(argv[2]), argv[3:]
    rows = [row(root, n, width) for n in names]
    h = rows[0][0].height
    sheet = Image.new("RGB", (3 * width, len(rows) * (h + 16)), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for r, tiles in enumerate(rows):
        y = r * (h + 16)
        draw.text((4, y + 2), names[r], fill=(0, 0, 0))
        for c, t in enumerate(tiles):
            sheet.paste(t, (c * width, y + 16))
    sheet.save(out, optimize=True)


if __name__ == "__main__":
    main(sys.argv)
