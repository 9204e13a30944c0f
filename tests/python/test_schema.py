"""schema_version in every JSON file the tools write; read leniently."""
import json

from mnbench import host, index, schema, summary


def test_write_puts_the_version_first_and_leaves_no_temporary(tmp_path):
    (tmp_path / "d").mkdir()
    path = tmp_path / "d" / "x.json"
    schema.write_json(str(path), {"a": 1, "schema_version": 99})
    assert list(json.loads(path.read_text())) == ["schema_version", "a"]
    assert json.loads(path.read_text())["schema_version"] == schema.SCHEMA_VERSION
    assert [p.name for p in (tmp_path / "d").iterdir()] == ["x.json"]


def test_read_is_lenient(tmp_path, capsys):
    old = tmp_path / "old.json"
    old.write_text('{"a": 1}')
    assert schema.version_of(schema.read_json(str(old))) == 0
    new = tmp_path / "new.json"
    new.write_text('{"schema_version": 7, "a": 1, "b": 2}')
    assert schema.read_json(str(new))["a"] == 1
    assert "schema_version 7" in capsys.readouterr().err


def test_metadata_host_and_index_carry_it(reference_run, tmp_path):
    schema.write_json(str(reference_run / "host.json"),
                      host.conditions(str(tmp_path / "empty"),
                                      detected="kvm", load_before=0.1))
    assert summary.main([str(reference_run), "scripts/run"]) == 0
    meta = json.loads((reference_run / "metadata.json").read_text())
    assert meta["schema_version"] == schema.SCHEMA_VERSION
    assert meta["host_conditions"]["virtualization"] == "kvm"
    assert meta["host_warnings"] == [host.warnings(meta["host_conditions"])[0]]
    assert "WARNING: running in a VM (kvm)" in \
        (reference_run / "summary.md").read_text()
    assert index.main([str(reference_run.parent)]) == 0
    idx = json.loads((reference_run.parent / "index.json").read_text())
    assert idx["schema_version"] == schema.SCHEMA_VERSION
    assert idx["runs"][0]["run"] == "run"
    assert idx["runs"][0]["host_warnings"] == meta["host_warnings"]


def test_a_metadata_json_without_version_is_indexed(reference_run):
    # The committed reference run predates schema_version.
    meta = json.loads((reference_run / "metadata.json").read_text())
    meta.pop("schema_version", None)
    (reference_run / "metadata.json").write_text(json.dumps(meta))
    assert index.main([str(reference_run.parent)]) == 0
    assert "[run](run/summary.md)" in (reference_run.parent / "index.md").read_text()


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"old": 1}\n')
    try:
        # Fails inside the write, after the temporary file was opened.
        schema.atomic_write_text(str(path), b"not text")
    except TypeError:
        pass
    else:
        raise AssertionError("bytes were written as text")
    assert path.read_text() == '{"old": 1}\n'
    assert not [p for p in tmp_path.iterdir() if ".tmp." in p.name]
