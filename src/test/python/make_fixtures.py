#!/usr/bin/python3
"""Builds the dataset-layout test fixtures of Fusion Node with Debian's python3 + numpy + Pillow.

Run from the repository root:  /usr/bin/python3 src/test/python/make_fixtures.py

It writes, deterministically (fixed seeds):
  src/test/resources/fixtures/zod_dataset/      ZOD layout: camera/, lidar/ (pickles), lidar_png/,
                                                annotation_camera_only/, split files
  src/test/resources/fixtures/xod_dataset/      Iseauto layout: labeled/day_fair/{camera,annotation,lidar_png,pkl}
  src/test/resources/fixtures/pil/              Pillow BILINEAR resizes to 384x384 (reference for the Java resize)

The LiDAR PNGs are made the way the datasets made them (clft-spec section 2), re-stated here in numpy from the
published generators' behaviour: ZOD "basic" (SAM generate_lidar_png.py) and Iseauto (AIM xod_pickle_to_png.py).
The Java encoders must reproduce them pixel for pixel. Pickles use protocols 2, 4 and 5 so that each loader
path is exercised. Nothing here is imported by the Java code.
"""
import os
import pickle

import numpy as np
from PIL import Image

ROOT = os.path.join("src", "test", "resources", "fixtures")
ZOD_RAW = (3848, 2168)       # raw ZOD front-camera size (u, v space of camera_coordinates)
ZOD_OUT = (1363, 768)        # released camera / lidar_png size
XOD_RAW = (4240, 2824)
XOD_OUT = (1363, 768)


def kb_project(p, fx, fy, cx, cy, k):
    """Kannala-Brandt fisheye projection of camera-frame points (x right, y down, z forward)."""
    x, y, z = p[:, 0].astype(np.float64), p[:, 1].astype(np.float64), p[:, 2].astype(np.float64)
    r = np.sqrt(x * x + y * y)
    theta = np.arctan2(r, z)
    t2 = theta * theta
    theta_d = theta * (1 + t2 * (k[0] + t2 * (k[1] + t2 * (k[2] + t2 * k[3]))))
    scale = np.where(r > 1e-12, theta_d / np.maximum(r, 1e-12), 1.0 / z)
    return fx * x * scale + cx, fy * y * scale + cy


def scene_points(rng, n, t):
    """A street-like cloud in the camera frame: ground plane, two boxes (cars), a pole, far points."""
    ground = np.stack([rng.uniform(-30, 30, n // 2), rng.uniform(1.4, 1.8, n // 2), rng.uniform(2, 90, n // 2)], 1)
    car1 = np.stack([rng.uniform(-4, -2, n // 8), rng.uniform(0.0, 1.6, n // 8), rng.uniform(10, 14, n // 8) - t], 1)
    car2 = np.stack([rng.uniform(2, 4.5, n // 8), rng.uniform(0.1, 1.6, n // 8), rng.uniform(20, 25, n // 8) + t], 1)
    pole = np.stack([rng.uniform(6, 6.3, n // 16), rng.uniform(-3, 1.6, n // 16), rng.uniform(15, 15.3, n // 16)], 1)
    # out-of-range values exercise the clipping: x < -50, z > 100, y < -50
    far = np.stack([rng.uniform(-80, 80, n // 16), rng.uniform(-60, 2, n // 16), rng.uniform(60, 140, n // 16)], 1)
    rest = n - len(ground) - len(car1) - len(car2) - len(pole) - len(far)
    scatter = np.stack([rng.uniform(-10, 10, rest), rng.uniform(-5, 2, rest), rng.uniform(1, 40, rest)], 1)
    return np.concatenate([ground, car1, car2, pole, far, scatter]).astype(np.float32)


def zod_lidar_png(points, coords):
    """ZOD 'basic' lidar_png exactly as the generator computes it; returns the OpenCV (B, G, R) array."""
    h, w = ZOD_OUT[1], ZOD_OUT[0]
    out = np.zeros((h, w, 3), dtype=np.float32)
    front = coords[:, 0] == 1
    c, p = coords[front], points[front]
    xs = c[:, 1].astype(np.float32) * (w / ZOD_RAW[0])
    ys = c[:, 2].astype(np.float32) * (h / ZOD_RAW[1])
    valid = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    xi, yi, pv = xs[valid].astype(int), ys[valid].astype(int), p[valid]
    xn = np.clip((pv[:, 0] + 50) / 100, 0, 1) * 255
    yn = np.clip((pv[:, 1] + 50) / 100, 0, 1) * 255
    zn = np.clip(pv[:, 2] / 100, 0, 1) * 255
    for i in range(len(xi)):  # one point at a time: the last one on a pixel wins
        out[yi[i], xi[i], 0] = xn[i]
        out[yi[i], xi[i], 1] = yn[i]
        out[yi[i], xi[i], 2] = zn[i]
    return out.astype(np.uint8), int(valid.sum())


def save_bgr_as_png(bgr, path):
    """cv2.imwrite semantics: the array's channels are B, G, R."""
    Image.fromarray(np.ascontiguousarray(bgr[:, :, ::-1]), mode="RGB").save(path)


def camera_image(rng, w, h, t):
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, 3), dtype=np.uint8)
    img[..., 0] = (xx * 255 // w).astype(np.uint8)
    img[..., 1] = (yy * 255 // h).astype(np.uint8)
    img[..., 2] = ((xx + yy + 7 * t) % 256).astype(np.uint8)
    img[h // 2:, :, :] = img[h // 2:, :, :] // 2 + 40        # road half
    x0 = (200 + 9 * t) % (w - 200)
    img[400:520, x0:x0 + 160, :] = [140, 30, 150]           # a "vehicle"
    return img


def annotation(w, h, t):
    ann = np.zeros((h, w), dtype=np.uint8)
    x0 = (200 + 9 * t) % (w - 200)
    ann[400:520, x0:x0 + 160] = 2
    ann[300:380, 1000:1010] = 3
    ann[:7, :] = 1
    ann[-7:, :] = 1
    return ann


def write_zod(rng, root, frames, points_per_frame, protocols, write_pil=False):
    for d in ["camera", "lidar", "lidar_png", "annotation_camera_only"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    names = []
    fx = fy = 1900.0
    cx, cy = ZOD_RAW[0] / 2 - 3.5, ZOD_RAW[1] / 2 + 6.25
    k = [-0.035, 0.0045, -0.0012, 0.0002]
    for t in range(frames):
        name = "frame_%06d" % (t + 1)
        names.append(name)
        pts = scene_points(rng, points_per_frame, t)
        u, v = kb_project(pts, fx, fy, cx, cy, k)
        keep = (pts[:, 2] > 0) & (u >= -10) & (u < ZOD_RAW[0] + 10) & (v >= -10) & (v < ZOD_RAW[1] + 10)
        pts = pts[keep]
        u = np.clip(np.round(u[keep]), 0, 65535).astype(np.uint16)
        v = np.clip(np.round(v[keep]), 0, 65535).astype(np.uint16)
        cam = np.ones(len(pts), dtype=np.uint16)
        cam[::97] = 0                                   # some points of another camera: filtered out
        # duplicates on one pixel with different values: the last must win
        dup = pts[:5].copy()
        dup[:, 2] += 7.0
        pts = np.concatenate([pts, dup])
        u = np.concatenate([u, u[:5]])
        v = np.concatenate([v, v[:5]])
        cam = np.concatenate([cam, np.ones(5, dtype=np.uint16)])
        # edge pixels of the raw image
        pts = np.concatenate([pts, np.array([[1, 1, 10], [2, 2, 20], [3, 3, 30]], dtype=np.float32)])
        u = np.concatenate([u, np.array([ZOD_RAW[0] - 1, 0, ZOD_RAW[0]], dtype=np.uint16)])
        v = np.concatenate([v, np.array([ZOD_RAW[1] - 1, 0, 5], dtype=np.uint16)])
        cam = np.concatenate([cam, np.ones(3, dtype=np.uint16)])
        coords = np.stack([cam, u, v], 1).astype(np.uint16)
        data = {"3d_points": pts, "camera_coordinates": coords,
                "class_instance": np.zeros((len(pts), 2), dtype=np.uint8)}
        proto = protocols[t % len(protocols)]
        with open(os.path.join(root, "lidar", name + ".pkl"), "wb") as f:
            pickle.dump(data, f, protocol=proto)
        bgr, landed = zod_lidar_png(pts, coords)
        save_bgr_as_png(bgr, os.path.join(root, "lidar_png", name + ".png"))
        cam_img = camera_image(rng, ZOD_OUT[0], ZOD_OUT[1], t)
        Image.fromarray(cam_img, mode="RGB").save(os.path.join(root, "camera", name + ".png"))
        Image.fromarray(annotation(ZOD_OUT[0], ZOD_OUT[1], t), mode="L").save(
            os.path.join(root, "annotation_camera_only", name + ".png"))
        print("%s: %d points, %d landed in lidar_png, pickle protocol %d" % (name, len(pts), landed, proto))
        if write_pil and t == 0:
            pil = os.path.join(ROOT, "pil")
            os.makedirs(pil, exist_ok=True)
            Image.open(os.path.join(root, "camera", name + ".png")).convert("RGB").resize(
                (384, 384), Image.BILINEAR).save(os.path.join(pil, "camera_384.png"))
            Image.open(os.path.join(root, "lidar_png", name + ".png")).convert("RGB").resize(
                (384, 384), Image.BILINEAR).save(os.path.join(pil, "lidar_384.png"))
            Image.open(os.path.join(root, "camera", name + ".png")).convert("RGB").resize(
                (480, 200), Image.BILINEAR).save(os.path.join(pil, "camera_480x200.png"))
            Image.open(os.path.join(root, "camera", name + ".png")).convert("RGB").resize(
                (2000, 900), Image.BILINEAR).save(os.path.join(pil, "camera_2000x900.png"))
    lines = ["camera/%s.png" % n for n in names]
    with open(os.path.join(root, "all.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return names


def xod_lidar_png(points, coords):
    """Iseauto lidar_png as AIM's xod_pickle_to_png.py computes it (numpy 1.x arithmetic)."""
    w, h = XOD_OUT
    mean = np.array([-0.17263354, 0.85321806, 24.5527253])
    std = np.array([7.34546552, 1.17227659, 15.83745082])
    m = coords[:, 0] == 1
    p = points[m]
    uv = coords[m, 1:3]
    uo = uv[:, 0].astype(np.float32) * (w / 4240.0)
    vo = uv[:, 1].astype(np.float32) * (h / 2824.0)
    xl = (p[:, 1] - mean[0]) / std[0]
    yl = (p[:, 2] - mean[1]) / std[1]
    zl = (p[:, 0] - mean[2]) / std[2]
    norm = np.stack([xl, yl, zl], 1)
    X = np.zeros((h, w), dtype=np.float32)
    Y = np.zeros((h, w), dtype=np.float32)
    Z = np.zeros((h, w), dtype=np.float32)
    rows = np.floor(vo).astype(int)
    cols = np.floor(uo).astype(int)
    valid = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    rows, cols, pts = rows[valid], cols[valid], norm[valid]
    X[rows, cols] = pts[:, 0]
    Y[rows, cols] = pts[:, 1]
    Z[rows, cols] = pts[:, 2]

    def robust(ch):
        a = np.percentile(np.abs(ch[ch != 0]), 95)
        if a > 0:
            n = np.clip(ch / a, -1, 1)
            return ((n + 1) / 2 * 255).astype(np.uint8)
        return np.zeros_like(ch, dtype=np.uint8)

    chans = [np.array(Image.fromarray(robust(c), mode="L")).astype(np.float32) / 255.0 for c in (X, Y, Z)]
    return (np.stack(chans, 2) * 255).astype(np.uint8), int(valid.sum())


def write_xod(rng, root, frames, points_per_frame):
    base = os.path.join(root, "labeled", "day_fair")
    for d in ["camera", "annotation", "lidar_png", "pkl"]:
        os.makedirs(os.path.join(base, d), exist_ok=True)
    lines = []
    fx, fy, cx, cy = 2569.546, 2590.716, 2121.915, 1395.443
    for t in range(frames):
        name = "sq11_%06d" % (t + 14)
        cam_pts = scene_points(rng, points_per_frame, t)          # camera frame
        # Velodyne frame: x forward, y left, z up (plus a mounting offset)
        velo = np.stack([cam_pts[:, 2] + 0.3, -cam_pts[:, 0], -cam_pts[:, 1] + 0.8], 1).astype(np.float32)
        u = fx * cam_pts[:, 0] / cam_pts[:, 2] + cx
        v = fy * cam_pts[:, 1] / cam_pts[:, 2] + cy
        inside = (u >= 0) & (u < XOD_RAW[0]) & (v >= 0) & (v < XOD_RAW[1]) & (velo[:, 0] > 0)
        flag = inside.astype(np.uint16)
        uu = np.where(inside, np.round(u), 0).astype(np.uint16)
        vv = np.where(inside, np.round(v), 0).astype(np.uint16)
        coords = np.stack([flag, uu, vv], 1)
        with open(os.path.join(base, "pkl", name + ".pkl"), "wb") as f:
            pickle.dump({"3d_points": velo, "camera_coordinates": coords}, f, protocol=2)
        rgb, landed = xod_lidar_png(velo, coords)
        Image.fromarray(rgb, mode="RGB").save(os.path.join(base, "lidar_png", name + ".png"))
        Image.fromarray(camera_image(rng, XOD_OUT[0], XOD_OUT[1], t), mode="RGB").save(
            os.path.join(base, "camera", name + ".png"))
        ann = (annotation(XOD_OUT[0], XOD_OUT[1], t) == 2).astype(np.uint8)
        Image.fromarray(ann, mode="L").save(os.path.join(base, "annotation", name + ".png"))
        lines.append("labeled/day_fair/camera/%s.png" % name)
        print("%s: %d points, %d landed in lidar_png" % (name, len(velo), landed))
    with open(os.path.join(root, "all.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def waymo_lidar_png(points, coords):
    """Waymo lidar_png as waymo_pickle_to_png.py computes it (480x320, per-frame min-max, numpy 1.x arithmetic)."""
    w, h = 480, 320
    mean = np.array([-0.17263354, 0.85321806, 24.5527253])
    std = np.array([7.34546552, 1.17227659, 15.83745082])
    m = coords[:, 0] == 1
    p = points[m]
    cc = coords[m, 1:3].copy().astype(np.float32)
    if cc[:, 0].max() > w * 2:
        cc[:, 0] *= w / 1920.0
        cc[:, 1] *= h / 1280.0
    norm = np.stack([(p[:, 1] - mean[0]) / std[0], (p[:, 2] - mean[1]) / std[1], (p[:, 0] - mean[2]) / std[2]], 1)
    X = np.zeros((h, w), dtype=np.float32)
    Y = np.zeros((h, w), dtype=np.float32)
    Z = np.zeros((h, w), dtype=np.float32)
    rows = np.floor(cc[:, 1]).astype(int)
    cols = np.floor(cc[:, 0]).astype(int)
    valid = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    rows, cols, pts = rows[valid], cols[valid], norm[valid]
    X[rows, cols] = pts[:, 0]
    Y[rows, cols] = pts[:, 1]
    Z[rows, cols] = pts[:, 2]
    chans = []
    for c in (X, Y, Z):
        q = ((c - c.min()) / (c.max() - c.min() + 1e-6) * 255).astype(np.uint8)
        chans.append(np.array(Image.fromarray(q, mode="L")).astype(np.float32) / 255.0)
    return (np.stack(chans, 2) * 255).astype(np.uint8), int(valid.sum())


def write_waymo(rng, root, frames, points_per_frame):
    base = os.path.join(root, "labeled", "night", "not_rain")
    for d in ["camera", "lidar", "lidar_png"]:
        os.makedirs(os.path.join(base, d), exist_ok=True)
    lines = []
    fx, fy, cx, cy = 2050.0, 2050.0, 960.0, 640.0
    for t in range(frames):
        name = "segment-%d_with_camera_labels_%010d" % (1000 + t, t)
        cam_pts = scene_points(rng, points_per_frame, t)
        velo = np.stack([cam_pts[:, 2], -cam_pts[:, 0], -cam_pts[:, 1] + 1.9], 1).astype(np.float32)
        u = fx * cam_pts[:, 0] / cam_pts[:, 2] + cx
        v = fy * cam_pts[:, 1] / cam_pts[:, 2] + cy
        inside = (u >= 0) & (u < 1920) & (v >= 0) & (v < 1280)
        cam = np.where(inside, 1, 2).astype(np.uint16)       # 2 = another camera
        coords = np.stack([cam, np.where(inside, np.round(u), 5), np.where(inside, np.round(v), 5)], 1).astype(np.uint16)
        data = {"3d_points": velo, "camera_coordinates": coords,
                "class_instance": np.zeros((len(velo), 2), dtype=np.uint8)}
        with open(os.path.join(base, "lidar", name + ".pkl"), "wb") as f:
            pickle.dump(data, f, protocol=4)
        rgb, landed = waymo_lidar_png(velo, coords)
        Image.fromarray(rgb, mode="RGB").save(os.path.join(base, "lidar_png", name + ".png"))
        Image.fromarray(camera_image(rng, 480, 320, t), mode="RGB").save(os.path.join(base, "camera", name + ".png"))
        lines.append("labeled/night/not_rain/camera/%s.png" % name)
        print("%s: %d points, %d landed in lidar_png" % (name, len(velo), landed))
    with open(os.path.join(root, "all.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_bad_pickles(root):
    """Pickles that are valid Python pickles but not usable LiDAR pickles, and one that is not a pickle."""
    os.makedirs(root, exist_ok=True)
    pts = np.zeros((4, 3), dtype=np.float32)
    with open(os.path.join(root, "missing_keys.pkl"), "wb") as f:
        pickle.dump({"points": pts, "uv": np.zeros((4, 3), dtype=np.uint16)}, f, protocol=4)
    with open(os.path.join(root, "wrong_shape.pkl"), "wb") as f:
        pickle.dump({"3d_points": np.zeros((4, 2), dtype=np.float32),
                     "camera_coordinates": np.zeros((4, 3), dtype=np.uint16)}, f, protocol=4)
    with open(os.path.join(root, "not_a_dict.pkl"), "wb") as f:
        pickle.dump([1, 2, 3], f, protocol=2)
    with open(os.path.join(root, "truncated.pkl"), "wb") as f:
        data = pickle.dumps({"3d_points": pts, "camera_coordinates": np.zeros((4, 3), dtype=np.uint16)}, protocol=4)
        f.write(data[: len(data) // 2])


def main():
    rng = np.random.default_rng(1234)
    write_zod(rng, os.path.join(ROOT, "zod_dataset"), 3, 12000, [4, 2, 5], write_pil=True)
    write_xod(np.random.default_rng(99), os.path.join(ROOT, "xod_dataset"), 2, 12000)
    write_bad_pickles(os.path.join(ROOT, "bad"))
    write_waymo(np.random.default_rng(7), os.path.join(ROOT, "waymo_dataset"), 2, 8000)


if __name__ == "__main__":
    main()
