"""The structure of a report's text: `# ` title, `## ` heading, `### ` sub-heading, other lines paragraphs."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # title | heading | subheading | paragraph
    text: str


PREFIXES = (("### ", "subheading"), ("## ", "heading"), ("# ", "title"))


def blocks(text: str) -> list[Block]:
    found = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        for prefix, kind in PREFIXES:
            if line.startswith(prefix):
                found.append(Block(kind, line[len(prefix):].strip()))
                break
        else:
            found.append(Block("paragraph", line))
    return found
