"""Generated blocks in the docs: the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->`
is written by a script and replaced whole when the script runs again."""
import pathlib


def markers(name):
    return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"


def block(name, body):
    """The block as it appears in the document, markers included."""
    begin, end = markers(name)
    return "\n".join([begin, body.strip("\n"), end])


def replace(doc: pathlib.Path, name, body):
    """Writes `body` between the markers of `name` in `doc`; returns the block."""
    begin, end = markers(name)
    text = doc.read_text()
    if begin not in text or end not in text:
        raise SystemExit(f"{doc}: no {begin} ... {end} block to replace")
    new = block(name, body)
    doc.write_text(text[:text.index(begin)] + new + text[text.index(end) + len(end):])
    return new


if __name__ == "__main__":
    import sys
    if len(sys.argv) != 3:
        raise SystemExit("usage: COMMAND | scripts/docblock.py DOC NAME  (the block's new body on stdin)")
    replace(pathlib.Path(sys.argv[1]), sys.argv[2], sys.stdin.read())
