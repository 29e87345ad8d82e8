#!/usr/bin/python3
"""The PyTorch side of the training parity test: the paper's training step, in plain torch, on the batch the
Java test wrote, for each case (modality, fine-tune mode, loss). Run by TrainingParityTest; by hand:

    /usr/bin/python3 src/test/python/training_reference.py MODEL.pth BATCH.pth OUT_DIR CASE [CASE ...]

MODEL.pth: a checkpoint of the MICRO reference CLFT (fixtures/torch/micro_clft.pth). BATCH.pth: rgb and lidar
(2, 3, 64, 64) float32, labels (2, 64, 64) int64 with 255 for unlabelled pixels, class_weights, lr, lr_momentum,
gamma, dice_weight. A CASE is MODE:FINETUNE:LOSS, e.g. cross_fusion:full:ce. For each case OUT_DIR/CASE.pth
holds loss (one per step), grad.<name> (the first step's gradients of the trained parameters) and
weight.<name> (every parameter after the last step).

The step, as the paper trains: Adam(lr, betas (0.9, 0.999), eps 1e-8) over the trained parameters; each step
is one epoch of one batch with lr * lr_momentum^epoch; loss weighted cross-entropy (nn.CrossEntropyLoss with
the class weights, unlabelled pixels ignored), weighted focal loss, or focal loss + dice_weight * (1 - mean
soft Dice of the foreground classes). Fine-tune modes: full; frozen_encoder (transformer_encoders.* frozen);
head_only (only head_segmentation.* trains).
"""
import os
import sys
from collections import OrderedDict

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clft_reference as ref  # noqa: E402

STEPS = 3
IGNORE = 255


def trains(mode, name):
    if mode == "full":
        return True
    if mode == "frozen_encoder":
        return not name.startswith("transformer_encoders.")
    if mode == "head_only":
        return name.startswith("head_segmentation.")
    raise ValueError(mode)


def loss_of(kind, logits, labels, weights, gamma, dice_weight):
    valid = labels != IGNORE
    y = torch.where(valid, labels, torch.zeros_like(labels))
    if kind == "ce":
        return F.cross_entropy(logits, labels, weight=weights, ignore_index=IGNORE)
    nll = F.cross_entropy(logits, y, reduction="none")
    w = weights[y] * valid
    focal = ((1 - torch.exp(-nll)) ** gamma * nll * w).sum() / w.sum()
    if kind == "focal":
        return focal
    p = torch.softmax(logits, 1) * valid.unsqueeze(1)
    one_hot = F.one_hot(y, logits.shape[1]).permute(0, 3, 1, 2).to(p.dtype) * valid.unsqueeze(1)
    inter = (p * one_hot).sum((0, 2, 3))
    denom = p.sum((0, 2, 3)) + one_hot.sum((0, 2, 3))
    dice = (2 * inter + 1e-6) / (denom + 1e-6)
    return focal + dice_weight * (1 - dice[1:].mean())


def run(model_file, batch, case):
    modality, finetune, kind = case.split(":")
    torch.manual_seed(0)
    model = ref.build_micro()
    # the project's own fixture (its optimizer_state_dict holds more than tensors)
    model.load_state_dict(torch.load(model_file, weights_only=False)["model_state_dict"])
    model.train()
    trained = []
    for name, p in model.named_parameters():
        p.requires_grad_(trains(finetune, name))
        if p.requires_grad:
            trained.append(p)
    lr = float(batch["lr"])
    opt = torch.optim.Adam(trained, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    out = OrderedDict()
    losses = []
    for epoch in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = lr * float(batch["lr_momentum"]) ** epoch
        opt.zero_grad()
        logits = model(batch["rgb"].clone(), batch["lidar"].clone(), modality)
        loss = loss_of(kind, logits, batch["labels"], batch["class_weights"], float(batch["gamma"]),
                       float(batch["dice_weight"]))
        loss.backward()
        losses.append(loss.item())
        if epoch == 0:
            for name, p in model.named_parameters():
                if p.grad is not None:
                    out["grad." + name] = p.grad.detach().clone()
        opt.step()
    out["loss"] = torch.tensor(losses, dtype=torch.float64)
    for name, p in model.named_parameters():
        out["weight." + name] = p.detach().clone()
    return out


def main():
    model_file, batch_file, out_dir = sys.argv[1:4]
    torch.set_num_threads(1)
    batch = torch.load(batch_file, weights_only=True)
    for case in sys.argv[4:]:
        torch.save(run(model_file, batch, case), os.path.join(out_dir, case.replace(":", "_") + ".pth"))
        print("case %s done" % case)


if __name__ == "__main__":
    main()
