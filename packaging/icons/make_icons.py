"""Render packaging/icons/warden.svg into the PNG sizes the installers use, and a Windows .ico.

Run from the repository root: ``QT_QPA_PLATFORM=offscreen .venv/bin/python
packaging/icons/make_icons.py``. The results are committed, so building an installer does not
need this script; run it again after changing the SVG. macOS's .icns is made on the Mac by
``iconutil`` from these PNGs (packaging/installers/macos/build.sh), which needs no Pillow.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # the ICO format stops at 256


def png_name(size: int) -> Path:
    return HERE / "png" / f"warden-{size}.png"


def render_pngs(svg: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    png_name(SIZES[0]).parent.mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_name(size))):  # the format follows the .png suffix
            raise SystemExit(f"could not write {png_name(size)}")


def write_ico(target: Path) -> None:
    """An ICO whose images are PNGs (allowed since Windows Vista); written by hand because
    Qt's ICO writer stores only one size."""
    images = [png_name(size).read_bytes() for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, data in zip(ICO_SIZES, images, strict=True):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    target.write_bytes(header + entries + b"".join(images))


def main() -> int:
    render_pngs(HERE / "warden.svg")
    write_ico(HERE / "warden.ico")
    print(f"wrote {len(SIZES)} PNGs under {HERE / 'png'} and {HERE / 'warden.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
