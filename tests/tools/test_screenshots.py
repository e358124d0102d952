"""tools/screenshots.py (``make screenshots``): its options and the pictures it takes."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_by_default_every_page_at_both_widths_into_docs(tool):
    args = tool.parse_args([])
    assert args.out == ROOT / "docs" / "screenshots"
    assert args.chromium == "/usr/bin/chromium"
    assert [shot.filename for shot in tool.shots(args.width)] == [
        "home-1280.png",
        "post-1280.png",
        "thread-1280.png",
        "home-390.png",
        "post-390.png",
        "thread-390.png",
    ]


def test_one_width_and_another_folder(tool, tmp_path):
    args = tool.parse_args(["--width", "390", "--out", str(tmp_path)])
    assert args.out == tmp_path
    assert {shot.width for shot in tool.shots(args.width)} == {390}


def test_only_the_home_page_is_taken_whole_and_the_thread_from_the_discussion(tool):
    by_name = {shot.name: shot for shot in tool.shots((1280,))}
    assert by_name["home"].full_page
    assert not by_name["post"].full_page
    assert by_name["thread"].page == "post"
    assert by_name["thread"].anchor == "#comments"
    # Every cut picture has a height to be cut at.
    assert set(tool.CLIP_HEIGHT) == set(tool.WIDTHS)


def test_a_width_with_no_cut_height_is_refused(tool, capsys):
    with pytest.raises(SystemExit):
        tool.parse_args(["--width", "800"])
    assert "invalid choice" in capsys.readouterr().err
