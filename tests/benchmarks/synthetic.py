"""Synthetic content folders (N services × L layers) for measuring how generation scales."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

SHIPPED = Path(__file__).parents[2] / "content"
OWNERS = ["aws", "customer", "shared"]


def write_content(target: Path, services: int, layers: int = 30, seed: int = 0) -> Path:
    """A valid content folder with `services` services and `layers` layers, owners at random."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("templates.toml", "sources.toml", "controls.toml"):
        shutil.copy(SHIPPED / name, target / name)
    out = [
        "schema_version = 1",
        "",
        '[categories.iaas]\nname = "Infrastructure as a service (IaaS)"\nshort = "IaaS"\n'
        'description = "Machines you run."',
        '[categories.paas]\nname = "Platform as a service (PaaS)"\nshort = "PaaS"\n'
        'description = "A platform run for you."',
        '[categories.abstracted]\nname = "Abstracted service"\nshort = "Abstracted"\n'
        'description = "Only an API."',
    ]
    layer_ids = [f"layer-{i:02d}" for i in range(layers)]
    owners: dict[tuple[str, str], str] = {}
    for i, lid in enumerate(layer_ids):
        out.append(
            f'[[layers]]\nid = "{lid}"\nname = "Layer {i}"\nnoun = "layer {i}"\n'
            f'description = "Synthetic layer {i}."'
        )
    for s in range(services):
        sid = f"svc-{s:03d}"
        category = ["iaas", "paas", "abstracted"][s % 3]
        out.append(
            f'[services.{sid}]\nname = "Service {s}"\ncategory = "{category}"\n'
            f'description = "Synthetic service {s}."'
        )
        # one inline table per cell keeps 200 services × 30 layers under the loader's
        # 1,000,000-byte limit on a content file
        cells = [f"[services.{sid}.cells]"]
        for lid in layer_ids:
            owner = rng.choice(OWNERS)
            owners[sid, lid] = owner
            cell = (
                f'owner = "{owner}", explanation = "Cell {s} {lid}.", '
                'source = "course-transcript", where = "synthetic"'
            )
            if owner == "shared":
                cell += ', aws_part = "runs its half", customer_part = "runs the other half"'
            cells.append(f"{lid} = {{{cell}}}")
        out.append("\n".join(cells))
    (target / "matrix.toml").write_text("\n\n".join(out) + "\n")
    phrasings = ["schema_version = 1"] + [
        f'[layers.{lid}]\ntasks = ["looks after layer {i}", "secures layer {i}"]'
        for i, lid in enumerate(layer_ids)
    ]
    (target / "phrasings.toml").write_text("\n\n".join(phrasings) + "\n")
    scenarios = ["schema_version = 1"]
    for s in range(services):
        sid, lid = f"svc-{s:03d}", layer_ids[s % layers]
        story = (
            f'[[scenarios]]\nid = "story-{s}"\ntitle = "Story {s}"\nservice = "{sid}"\n'
            f'layer = "{lid}"\nstory = "Something happened on service {s}."\n'
            'ask = "Whose job was it?"'
        )
        if owners[sid, lid] == "shared":  # a story on a shared cell names the half it is about
            story += '\npart = "customer"'
        scenarios.append(story)
    (target / "scenarios.toml").write_text("\n\n".join(scenarios) + "\n")
    return target
