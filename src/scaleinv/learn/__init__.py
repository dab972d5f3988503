"""Learning: the torch models, their training (seeds together in one batched model),
snapshots, and the network codes read off a snapshot.

The only stage that imports torch. It may import the foundation, `datasets`, `codes` and
`plan`; nothing outside it imports it, so the analysis runs without torch.
"""
