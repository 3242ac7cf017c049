"""The backup file: one uncompressed POSIX (ustar) tar that `tar tf` lists and `tar xf` unpacks.

Members, in this order: the database part, the uploaded files under short numbered names
(`media/000001` …, their real paths are in the manifest, so no path is too long or oddly encoded for
ustar), `manifest.json`, and `SHA256SUMS` (in `sha256sum -c` form, for checking by hand).

Reading is strict, so that a backup with any single byte changed is refused, not only one whose parts
changed: every header's checksum is recomputed (and its field must be written the way Python writes
it), the padding after each member and the blocks after the last must be zeros, the member names and
order must be ours, and each member's SHA-256 must match both SHA256SUMS and the manifest (which
SHA256SUMS covers in turn). The sha256 values protect against damage and careless edits, not against
someone who rewrites the file and every hash: keep backups where only administrators can write.
"""

import hashlib
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DomainError

BLOCK = 512
ZERO_BLOCK = bytes(BLOCK)
CHUNK = 1024 * 1024
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
PART_NAME = re.compile(r"^(database\.(sqlite3|dump|sql)|media/\d{6})$")

CORRUPT = "备份文件已损坏或被改动"
NOT_OURS = "不是 jianguan 备份文件"


def corrupt(detail: str) -> DomainError:
    return DomainError("backup_corrupt", f"{CORRUPT}：{detail}。未写入任何数据。", {"detail": detail})


def not_ours(detail: str) -> DomainError:
    return DomainError("backup_not_ours", f"{NOT_OURS}（{detail}）。未写入任何数据。", {"detail": detail})


def media_name(index: int) -> str:
    return f"media/{index:06d}"


class _Hashing:
    """A file reader that hashes what tarfile copies, so each part is read once."""

    def __init__(self, f):
        self.f, self.sha, self.size = f, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    def __init__(self, path: Path, mtime: float):
        self.mtime = int(mtime)
        self.tar = tarfile.open(path, "w", format=tarfile.USTAR_FORMAT)
        self.sums: list[tuple[str, str]] = []

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, self.mtime
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    def add_file(self, name: str, source: Path) -> tuple[int, str]:
        """Add a file; returns (size, sha256) of exactly what went into the archive."""
        with open(source, "rb") as f:
            size = source.stat().st_size
            reader = _Hashing(f)
            self.tar.addfile(self._info(name, size), reader)
        digest = reader.sha.hexdigest()
        self.sums.append((digest, name))
        return size, digest

    def add_bytes(self, name: str, data: bytes) -> str:
        import io

        self.tar.addfile(self._info(name, len(data)), io.BytesIO(data))
        digest = hashlib.sha256(data).hexdigest()
        self.sums.append((digest, name))
        return digest

    def close(self) -> None:
        self.add_bytes(SUMS, "".join(f"{digest}  {name}\n" for digest, name in self.sums).encode())
        self.tar.close()


@dataclass
class Member:
    name: str
    size: int
    sha256: str
    staged: Path


def _header(block: bytes, first: bool) -> tarfile.TarInfo:
    ours = block[257:262] == b"ustar" or block.startswith(b"database.")
    try:
        info = tarfile.TarInfo.frombuf(block, "utf-8", "strict")
    except (tarfile.HeaderError, UnicodeDecodeError):
        raise (corrupt("文件头校验和不符") if ours or not first else not_ours("无法识别的文件格式")) from None
    unsigned = sum(block[:148]) + 8 * 32 + sum(block[156:])
    if block[148:156] != b"%06o\x00 " % unsigned:
        raise corrupt(f"“{info.name}”的文件头校验和不符")
    if info.type != tarfile.REGTYPE:
        raise corrupt(f"含有非普通文件“{info.name}”") if ours else not_ours("不是备份生成的文件")
    return info


def _zeros(f, count: int, what: str) -> None:
    while count > 0:
        data = f.read(min(count, CHUNK))
        if len(data) == 0:
            raise corrupt("文件被截断")
        if data.strip(b"\x00"):
            raise corrupt(what)
        count -= len(data)


def read_members(path: Path, staging: Path) -> Iterator[Member]:
    """Copy each member into `staging` while hashing it; raise on anything not as written."""
    size = path.stat().st_size
    if size < 3 * BLOCK or size % BLOCK:
        raise not_ours("文件长度不是归档格式") if size < 3 * BLOCK else corrupt("文件长度不是 512 字节的整数倍")
    seen: set[str] = set()
    with open(path, "rb") as f:
        first = True
        while True:
            block = f.read(BLOCK)
            if len(block) < BLOCK:
                raise corrupt("文件被截断（缺少归档结束标记）")
            if block == ZERO_BLOCK:
                break
            info = _header(block, first)
            first = False
            name = info.name
            if name in seen or not (PART_NAME.match(name) or name in (MANIFEST, SUMS)):
                raise corrupt(f"含有意外的成员“{name}”")
            if SUMS in seen:
                raise corrupt(f"“{SUMS}”之后还有成员“{name}”")
            seen.add(name)
            staged = staging / name.replace("/", "_")
            sha, left = hashlib.sha256(), info.size
            with open(staged, "wb") as out:
                while left:
                    data = f.read(min(left, CHUNK))
                    if not data:
                        raise corrupt("文件被截断")
                    sha.update(data)
                    out.write(data)
                    left -= len(data)
            _zeros(f, -info.size % BLOCK, f"“{name}”之后的填充字节被改动")
            yield Member(name, info.size, sha.hexdigest(), staged)
        _zeros(f, size - f.tell(), "归档结束标记之后的字节被改动")
    if MANIFEST not in seen or SUMS not in seen:
        raise not_ours("缺少清单 manifest.json") if MANIFEST not in seen else corrupt(f"缺少 {SUMS}")


def parse_sums(data: bytes) -> dict[str, str]:
    sums: dict[str, str] = {}
    try:
        for line in data.decode("ascii").splitlines():
            digest, name = line.split("  ", 1)
            if not re.fullmatch(r"[0-9a-f]{64}", digest) or name in sums:
                raise ValueError(line)
            sums[name] = digest
    except ValueError:
        raise corrupt(f"{SUMS} 格式不符") from None
    return sums
