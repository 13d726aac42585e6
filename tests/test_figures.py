"""Figure 1 (a), (b), (c) of Sec. 4: rendered from the exact stationary-point analysis."""

import pytest

pytest.importorskip("matplotlib", reason="Figure 1 needs the 'plots' extra (matplotlib)")

from theorems.audit.figures import FIGURE_NAMES, write_figures  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_write_figures_writes_three_valid_pngs(tmp_path):
    paths = write_figures(tmp_path / "figs")
    assert [p.rsplit("/", 1)[-1] for p in paths] == list(FIGURE_NAMES)
    import matplotlib.image as mpimg
    for p in paths:
        with open(p, "rb") as fh:
            assert fh.read(8) == PNG_MAGIC, f"{p} is not a PNG file"
        img = mpimg.imread(p)
        assert img.ndim == 3 and img.shape[0] > 200 and img.shape[1] > 200, f"{p}: image shape {img.shape}"
        assert img[..., :3].std() > 0.05, f"{p} looks blank"


def test_write_figures_rejects_a_non_path():
    with pytest.raises(TypeError, match="argument 'outdir'"):
        write_figures(3)
