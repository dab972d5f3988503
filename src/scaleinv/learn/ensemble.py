"""Several networks of one architecture trained as one batched model (docs, "Seeds
trained together").

A tiny network leaves a CPU's vector units and a GPU idle: a step is a few small matrix
products and a fixed per-step overhead. Stacking the members' parameters along a leading
axis (`torch.func.stack_module_state`) and mapping the loss over it (`torch.func.vmap`)
makes one step of all members cost little more than one step of one. The stacked sum of
the member losses is backpropagated: a member's gradient is that of its own loss, and the
optimizer (Adam, SGD) is elementwise, so each member follows its own training. Each
member draws its batches and its noise from its own generators, outside the mapped call.

The members stay ordinary modules: their parameters are views of the stacked tensors, so
`evaluate` and `state_dict` of a member see its current weights. An ensemble of one is
the plain model (no stacking, no vmap, which would double its step time on a CPU).
"""

import copy
import logging

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

log = logging.getLogger(__name__)


class _Objective(nn.Module):
    """functional_call calls `forward`; this one is the wrapped model's training loss."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, y, noise):
        return self.model.loss(x, y, noise)


class Ensemble:
    def __init__(self, models, compiled=False):
        """`compiled`: the loss goes through torch.compile (`compiled_or_eager`)."""
        self.members = list(models)
        if len(self.members) == 1:
            self.parameters = dict(self.members[0].named_parameters())
            self._loss = self._member_loss
        else:
            params, buffers = stack_module_state(self.members)
            self.parameters = {f"model.{name}": p for name, p in params.items()}
            self.buffers = {f"model.{name}": b for name, b in buffers.items()}
            stacked = params | buffers
            for index, member in enumerate(self.members):
                for name, tensor in (*member.named_parameters(), *member.named_buffers()):
                    tensor.data = stacked[name].detach()[index]
            self._template = _Objective(copy.deepcopy(self.members[0]).to("meta"))
            self._loss = self._mapped_loss
        if compiled:
            self._loss = compiled_or_eager(self._loss)

    def __len__(self):
        return len(self.members)

    def noise(self, x, generators):
        """Each member's random draws for its batch x[i] (a model's optional `noise(x,
        generator)`, e.g. the RBM's Gibbs sampling), stacked; () for deterministic models."""
        draw = getattr(self.members[0], "noise", None)
        if draw is None:
            return ()
        per_member = [draw(x_i, g) for x_i, g in zip(x, generators, strict=True)]
        return tuple(torch.stack(parts) for parts in zip(*per_member, strict=True))

    def losses(self, x, y, noise):
        """Every member's loss on its own batch: x (members, batch, features), y
        (members, batch) or None, noise as `noise` gives it. Returns (members,)."""
        return self._loss(x, y, noise)

    def _member_loss(self, x, y, noise):
        member = (x[0], None if y is None else y[0], tuple(part[0] for part in noise))
        return self.members[0].loss(*member).unsqueeze(0)

    def _mapped_loss(self, x, y, noise):
        def loss(parameters, buffers, x, y, noise):
            return functional_call(self._template, (parameters, buffers), (x, y, noise))

        in_dims = (0, 0, 0, None if y is None else 0, 0)
        return vmap(loss, in_dims=in_dims)(self.parameters, self.buffers, x, y, noise)

    def state_dict(self, index):
        """Member `index`'s weights, copied out of the stacked tensors."""
        return {k: v.detach().clone() for k, v in self.members[index].state_dict().items()}


def compiled_or_eager(function):
    """torch.compile(function), or `function` itself, with a log line, when compiling it
    fails on its first call (no C compiler for the CPU backend, say): the run goes on."""
    compiled = torch.compile(function)
    chosen = None

    def call(*args):
        nonlocal chosen
        if chosen is None:
            try:
                result = compiled(*args)
            except Exception as error:  # noqa: BLE001 - any compile failure: train eagerly
                log.warning("torch.compile failed (%s: %s); training eagerly",
                            type(error).__name__, str(error).splitlines()[0])  # fmt: skip
                chosen = function
                return function(*args)
            chosen = compiled
            return result
        return chosen(*args)

    return call
