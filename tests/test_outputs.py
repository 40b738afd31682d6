"""Output files: checked before any work, all or none, devices and FIFOs written in place, links kept."""

import os
import stat
import threading

import pytest

from floor.errors import FloorError
from floor.outputs import check_outputs, output_files


def device(tmp_path, name, minor):
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7); skips where nodes cannot be made (not root)."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def write_all(paths, data=b"new\n"):
    with output_files(paths) as outputs:
        for output in outputs:
            output.write(data)


def leftovers(directory):
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.parametrize("make, reason", [
    (lambda d: (d / "dir").mkdir() or d / "dir", "Is a directory"),
    (lambda d: (d / "file").write_text("x") and d / "file" / "r.json", "Not a directory"),
    (lambda d: (d / "file").write_text("x") and d / "file" / "sub" / "r.json", "Not a directory"),
    (lambda d: f"{d}/new/", "Is a directory"),  # as the shell says of `> new/`
])
def test_unwritable_paths_are_refused_before_anything_is_written(tmp_path, make, reason):
    bad = make(tmp_path)
    before = leftovers(tmp_path)
    with pytest.raises(FloorError) as err:
        check_outputs([tmp_path / "ok.json", bad])
    assert str(err.value) == f"{bad}: cannot write ({reason})"
    with pytest.raises(FloorError, match="cannot write"):
        write_all([tmp_path / "ok.json", bad])
    assert leftovers(tmp_path) == before


def test_a_read_only_directory_is_refused(read_only_dir):
    with pytest.raises(FloorError, match=r"locked/sub/r.json: cannot write \(Permission denied\)"):
        check_outputs([read_only_dir / "sub" / "r.json"])


def test_an_empty_path_and_the_same_file_twice_are_refused(tmp_path):
    with pytest.raises(FloorError, match="an output path is empty"):
        check_outputs([""])
    (tmp_path / "a.json").write_text("old")
    (tmp_path / "link.json").symlink_to("a.json")
    with pytest.raises(FloorError, match="two outputs are given the same file"):
        check_outputs([tmp_path / "a.json", tmp_path / "link.json"])


def test_all_or_none_and_no_directory_left_that_was_made_for_nothing(tmp_path):
    (tmp_path / "kept.json").write_text("old")
    with pytest.raises(RuntimeError):
        with output_files([tmp_path / "kept.json", tmp_path / "new" / "deep" / "r.json"]) as outputs:
            outputs[0].write(b"new")
            raise RuntimeError("rendering failed")
    assert leftovers(tmp_path) == ["kept.json"]
    assert (tmp_path / "kept.json").read_text() == "old"


def test_a_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old")
    target.chmod(0o640)
    write_all([target])
    assert target.read_bytes() == b"new\n" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "r.json").write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "real" / "r.json")
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to("made.json")
    write_all([link, dangling])
    assert link.is_symlink() and dangling.is_symlink()
    assert (tmp_path / "real" / "r.json").read_bytes() == b"new\n"
    assert (tmp_path / "made.json").read_bytes() == b"new\n"
    assert leftovers(tmp_path / "real") == ["r.json"]


def test_a_device_is_written_in_place_not_replaced(tmp_path):
    null = device(tmp_path, "null", 3)
    link = tmp_path / "to-null"
    link.symlink_to(null)
    write_all([null, link])
    assert stat.S_ISCHR(null.stat().st_mode) and link.is_symlink()
    assert leftovers(tmp_path) == ["null", "to-null"]


def test_a_full_device_is_one_error_and_no_other_output_is_written(tmp_path):
    full = device(tmp_path, "full", 7)
    with pytest.raises(FloorError) as err:
        write_all([tmp_path / "r.csv", full])
    assert str(err.value) == f"{full}: cannot write (No space left on device)"
    assert leftovers(tmp_path) == ["full"] and stat.S_ISCHR(full.stat().st_mode)


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_all([fifo])
    reader.join(timeout=10)
    assert received == [b"new\n"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_descriptor_path_appends_to_the_open_file_rather_than_replacing_it(tmp_path):
    # /dev/stdout leads to /proc/self/fd/1; behind it may be a file the shell opened (`>> log`)
    log = tmp_path / "log"
    log.write_bytes(b"earlier\n")
    inode = log.stat().st_ino
    with open(log, "ab") as handle:
        path = f"/proc/self/fd/{handle.fileno()}"
        if not os.path.islink(path):
            pytest.skip("no /proc/self/fd here")
        write_all([path])
    assert log.stat().st_ino == inode and log.read_bytes() == b"earlier\nnew\n"
