"""Draws the program's icon (hall-cashier.png, hall-cashier.ico): a receipt with 收 on it."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"]


def main() -> None:
    size = 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((16, 16, 240, 240), radius=40, fill=(24, 90, 157, 255))
    d.rectangle((64, 44, 192, 212), fill=(255, 255, 255, 255))
    for x in range(64, 192, 16):  # torn edge of a receipt
        d.polygon([(x, 212), (x + 8, 224), (x + 16, 212)], fill=(255, 255, 255, 255))
    font = ImageFont.truetype(next(f for f in FONTS if Path(f).exists()), 96)
    d.text((128, 118), "收", font=font, fill=(192, 57, 43, 255), anchor="mm")
    for y in (178, 194):
        d.line((84, y, 172, y), fill=(120, 120, 120, 255), width=4)
    img.save(HERE / "hall-cashier.png")
    img.save(HERE / "hall-cashier.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
