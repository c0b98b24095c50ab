# Draws images/icon.png (run with Pillow: python images/icon.py from editors/vscode).
# A 256x256 icon: a ship's hull and mast with a check mark, on a deep blue rounded square.
from PIL import Image, ImageDraw
S = 1024
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle([0, 0, S - 1, S - 1], radius=200, fill=(18, 52, 96, 255))
# waves
for i, y in enumerate((800, 880)):
    d.arc([60, y - 60, 1000, y + 140], 200, 340, fill=(90, 170, 230, 255), width=28)
# hull
d.polygon([(170, 600), (854, 600), (740, 760), (284, 760)], fill=(240, 240, 240, 255))
# mast and sail
d.rectangle([500, 200, 530, 600], fill=(240, 240, 240, 255))
d.polygon([(545, 230), (545, 570), (800, 570)], fill=(255, 196, 60, 255))
d.polygon([(485, 280), (485, 570), (280, 570)], fill=(200, 225, 245, 255))
# check mark on the hull
d.line([(420, 680), (490, 730), (620, 630)], fill=(18, 140, 80, 255), width=34, joint="curve")
img.resize((256, 256), Image.LANCZOS).save("images/icon.png", optimize=True)
