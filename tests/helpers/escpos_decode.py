"""An independent ESC/POS reader for tests: what would a printer do with these bytes?

Written from the command reference, not from our renderer: it knows ESC @, FS & / FS .,
ESC a, ESC E, ESC !, GS !, ESC d, ESC p, GS V, GS ( k (QR) and GS v 0 (raster), and decodes
text as GB18030 while Chinese mode is on (ASCII otherwise). Unknown commands fail loudly.
"""

from dataclasses import dataclass, field


@dataclass
class PrintedLine:
    text: str
    size: int = 0  # GS ! value
    bold: bool = False
    align: int = 0
    columns: int = 0  # half-width columns on paper: one per byte (a GB18030 pair prints two wide)


@dataclass
class Job:
    lines: list[PrintedLine] = field(default_factory=list)
    qr: list[str] = field(default_factory=list)
    kicks: int = 0
    cuts: int = 0
    initialized: bool = False
    chinese_mode_used: bool = False
    raster_rows: int = 0
    images: list[tuple[int, int]] = field(default_factory=list)  # (dots wide, rows) of each GS v 0 picture


def decode(data: bytes) -> Job:
    job, i, chinese = Job(), 0, False
    size, bold, align = 0, False, 0
    text = bytearray()
    qr_store = b""

    def flush_line():
        raw = bytes(text)
        decoded = raw.decode("gb18030") if chinese else raw.decode("ascii")
        job.lines.append(PrintedLine(decoded, size, bold, align, len(raw)))
        text.clear()

    while i < len(data):
        b = data[i]
        if b == 0x1B:  # ESC
            cmd = data[i + 1]
            if cmd == 0x40:
                job.initialized, chinese, size, bold, align = True, False, 0, False, 0
                i += 2
            elif cmd == 0x61:
                align, i = data[i + 2], i + 3
            elif cmd == 0x45:
                bold, i = bool(data[i + 2]), i + 3
            elif cmd in (0x21, 0x74):  # ESC ! n (print mode), ESC t n (code table)
                i += 3
            elif cmd == 0x64:  # ESC d n: feed n lines
                for _ in range(data[i + 2]):
                    flush_line()
                i += 3
            elif cmd == 0x70:  # ESC p m t1 t2: drawer kick
                job.kicks += 1
                i += 5
            else:
                raise ValueError(f"unknown ESC {cmd:#x} at {i}")
        elif b == 0x1C:  # FS
            cmd = data[i + 1]
            if cmd == 0x26:
                chinese, job.chinese_mode_used = True, True
            elif cmd == 0x2E:
                chinese = False
            else:
                raise ValueError(f"unknown FS {cmd:#x} at {i}")
            i += 2
        elif b == 0x1D:  # GS
            cmd = data[i + 1]
            if cmd == 0x21:
                size, i = data[i + 2], i + 3
            elif cmd == 0x56:  # GS V m [n]
                job.cuts += 1
                i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
            elif cmd == 0x28 and data[i + 2] == 0x6B:  # GS ( k pL pH cn fn ...
                length = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5 : i + 5 + length]
                if body[0] == 49 and body[1] == 80:  # store QR data
                    qr_store = body[3:]
                elif body[0] == 49 and body[1] == 81:  # print the stored QR
                    job.qr.append(qr_store.decode("utf-8"))
                i += 5 + length
            elif cmd == 0x76 and data[i + 2] == 0x30:  # GS v 0 m xL xH yL yH d...
                x = data[i + 4] + 256 * data[i + 5]
                y = data[i + 6] + 256 * data[i + 7]
                job.raster_rows += y
                job.images.append((x * 8, y))
                i += 8 + x * y
            else:
                raise ValueError(f"unknown GS {cmd:#x} at {i}")
        elif b == 0x0A:
            flush_line()
            i += 1
        elif b < 0x20:
            raise ValueError(f"unexpected control byte {b:#x} at {i}")
        else:
            text.append(b)
            i += 1
    if text:
        flush_line()
    return job
