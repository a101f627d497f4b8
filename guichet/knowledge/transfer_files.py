"""Reading and writing a knowledge base folder or .zip without trusting it (see transfer.py).

Whatever comes in is read into memory as {relative path: bytes} under limits, so a hostile
archive (paths out of the folder, links, a million entries, a zip bomb) is refused before
anything is parsed, each refusal naming the entry. The limits are module attributes so a
deployment (or a test) can change them.
"""

import os
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from guichet.knowledge.transfer import FORMAT, META_FILE, ROOT_FILE, Problem, TransferError

MAX_FILES = 20_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024  # meta.yaml, fr.md, en.md: 200,000 characters each field
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024  # the .zip itself, as uploaded
TEXT_FILES = (META_FILE, ROOT_FILE, "fr.md", "en.md")
# Fixed entry dates and modes: the same knowledge base always gives the same archive bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

Tree = dict[str, bytes]


def max_attachment_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def _limit_for(path: str) -> int:
    if "/attachments/" in f"/{path}":
        return max_attachment_bytes()
    return MAX_TEXT_FILE_BYTES


def _check_name(name: str) -> str | None:
    """Why this entry name is refused, or None."""
    if "\x00" in name or "\\" in name:
        return _("Invalid character in the path.")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("Absolute paths are refused.")
    if ".." in PurePosixPath(name).parts:
        return _("Paths leading out of the folder (“..”) are refused.")
    return None


def _skipped(name: str) -> bool:
    """Hidden files and folders (.git, .DS_Store) and macOS archive clutter."""
    parts = PurePosixPath(name).parts
    return any(p.startswith(".") for p in parts) or (bool(parts) and parts[0] == "__MACOSX")


class _Budget:
    """Counts files and bytes across one reading, refusing past the limits."""

    def __init__(self) -> None:
        self.files = 0
        self.total = 0

    def take(self, name: str, size: int) -> None:
        self.files += 1
        self.total += size
        if self.files > MAX_FILES:
            raise TransferError(
                [Problem(name, _("Too many files (at most %(limit)s).") % {"limit": MAX_FILES})]
            )
        if size > _limit_for(name):
            raise TransferError(
                [
                    Problem(
                        name,
                        _("File too large: %(size)s bytes (at most %(limit)s).")
                        % {"size": size, "limit": _limit_for(name)},
                    )
                ]
            )
        if self.total > MAX_TOTAL_BYTES:
            raise TransferError(
                [
                    Problem(
                        name,
                        _("The files add up to more than %(limit)s bytes.")
                        % {"limit": MAX_TOTAL_BYTES},
                    )
                ]
            )


def read_zip(source) -> Tree:
    """The entries of a .zip (a path or a binary file object), checked and read."""
    try:
        with zipfile.ZipFile(source) as archive:
            return _read_entries(archive)
    except TransferError:
        raise
    except Exception as error:  # untrusted input: any failure to read it is the input's fault
        raise TransferError(
            [
                Problem(
                    _("the archive"), _("Not a readable .zip file (%(error)s).") % {"error": error}
                )
            ]
        ) from None


def _read_entries(archive: zipfile.ZipFile) -> Tree:
    tree: Tree = {}
    budget = _Budget()
    for info in archive.infolist():
        name = info.filename
        refusal = _check_name(name)
        if refusal:
            raise TransferError([Problem(name, refusal)])
        if stat.S_ISLNK(info.external_attr >> 16):
            raise TransferError([Problem(name, _("Symbolic links are refused."))])
        if info.is_dir() or _skipped(name):
            continue
        if info.flag_bits & 0x1:
            raise TransferError([Problem(name, _("Encrypted entries are refused."))])
        budget.take(name, info.file_size)
        if name in tree:
            raise TransferError([Problem(name, _("This name appears twice in the archive."))])
        # The declared size may lie (a zip bomb): read at most one byte past the limit.
        limit = _limit_for(name)
        with archive.open(info) as entry:
            content = entry.read(limit + 1)
        if len(content) > limit or len(content) != info.file_size:
            raise TransferError(
                [Problem(name, _("The entry's size does not match the archive's index."))]
            )
        tree[name] = content
    return tree


def read_directory(root: Path) -> Tree:
    """The files under a folder, without following links out of it."""
    tree: Tree = {}
    budget = _Budget()
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                raise TransferError(
                    [Problem(_relative(here / name, root), _("Symbolic links are refused."))]
                )
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = here / name
            relative = _relative(path, root)
            if _skipped(relative):
                continue
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                raise TransferError([Problem(relative, _("Symbolic links are refused."))])
            if not stat.S_ISREG(info.st_mode):
                raise TransferError([Problem(relative, _("Not a regular file."))])
            budget.take(relative, info.st_size)
            with path.open("rb") as handle:
                content = handle.read(_limit_for(relative) + 1)
            budget.total += max(0, len(content) - info.st_size)  # grew while we read
            if len(content) > _limit_for(relative):
                raise TransferError([Problem(relative, _("File too large."))])
            tree[relative] = content
    return tree


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def read_source(path: str) -> Tree:
    """A folder or a .zip named on the command line."""
    source = Path(path)
    if source.is_dir():
        return read_directory(source)
    if not source.exists():
        raise TransferError([Problem(path, _("No such file or folder."))])
    if source.stat().st_size > MAX_ARCHIVE_BYTES:
        raise TransferError(
            [
                Problem(
                    path,
                    _("The archive is larger than %(limit)s bytes.") % {"limit": MAX_ARCHIVE_BYTES},
                )
            ]
        )
    return read_zip(source)


def split_articles(tree: Tree) -> tuple[str, dict[str, Tree]]:
    """(the root's prefix, {article folder: {name inside it: bytes}}): the root is the folder
    of knowledge.yaml, at the top or one folder down (as a downloaded archive has it)."""
    roots = sorted(
        name[: -len(ROOT_FILE)]
        for name in tree
        if name in (ROOT_FILE,) or (name.endswith(f"/{ROOT_FILE}") and name.count("/") == 1)
    )
    if not roots:
        raise TransferError(
            [Problem(ROOT_FILE, _("Missing: this is not a knowledge base export."))]
        )
    if len(roots) > 1:
        raise TransferError(
            [
                Problem(
                    ROOT_FILE,
                    _("Found more than once: %(places)s.")
                    % {"places": ", ".join(r + ROOT_FILE for r in roots)},
                )
            ]
        )
    prefix = roots[0]
    articles: dict[str, Tree] = {}
    for name, content in tree.items():
        if not name.startswith(prefix):
            continue  # beside the export in the archive: not ours to read
        inner = name[len(prefix) :]
        folder, slash, rest = inner.partition("/")
        if slash:
            articles.setdefault(prefix + folder, {})[rest] = content
    return prefix, articles


def root_file_text() -> bytes:
    return (
        "# A Guichet knowledge base: one folder per article, named by its uid.\n"
        "# guichet knowledge import <this folder>; format described in guichet/knowledge/"
        "transfer.py\n"
        f"format: {FORMAT}\n"
    ).encode()


def zip_bytes(tree: Tree, top: str = "knowledge") -> bytes:
    """One archive with a top folder, entries sorted, dates and modes fixed."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(tree):
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=ZIP_DATE)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, tree[name])
    return buffer.getvalue()


def write_directory(tree: Tree, root: Path) -> None:
    """Write an export into a folder: a new or empty one, or an earlier export, whose article
    folders are replaced (other files, such as .git or a README, stay)."""
    if root.exists() and not root.is_dir():
        raise TransferError([Problem(str(root), _("Exists and is not a folder."))])
    root.mkdir(parents=True, exist_ok=True)
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    if entries and not (root / ROOT_FILE).is_file():
        raise TransferError(
            [
                Problem(
                    str(root),
                    _(
                        "Not empty and not an earlier export "
                        "(no knowledge.yaml): choose another folder."
                    ),
                )
            ]
        )
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink() and (entry / META_FILE).exists():
            shutil.rmtree(entry)
    for name, content in sorted(tree.items()):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
