"""Learning: the torch models, their training (seeds together in one batched model),
snapshots, and the network codes read off a snapshot.

The only stage that imports torch (besides `datasets`, whose parsers are torchvision's);
nothing outside it imports it, so the analysis runs without torch.

May import: the foundation, `datasets`, `ising`, `stats`, `codes`, `plan`.
"""
