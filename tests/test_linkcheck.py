"""The weekly link check: Sphinx's linkcheck builder run against a server on this machine, and
the report that names each broken link and fails the job."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from cnsaudit.book import linkcheck

from .conftest import ROOT


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "ok.html").write_text("<p>here</p>")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def the_books_linkcheck_settings() -> dict:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    return {k: v for k, v in config.items() if k.startswith("linkcheck_")}


def run_linkcheck(tmp_path: Path, base: str) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    settings = the_books_linkcheck_settings()
    settings["linkcheck_timeout"] = 5
    (src / "conf.py").write_text("".join(f"{k} = {v!r}\n" for k, v in settings.items()))
    (src / "index.rst").write_text(f"Links\n=====\n\n`fine <{base}/ok.html>`_\n\n`gone <{base}/missing.html>`_\n")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "linkcheck", str(src), str(out)],
                          capture_output=True, text=True, check=False)
    assert (out / "output.json").is_file(), proc.stdout + proc.stderr
    return out / "output.json"


def test_a_broken_link_fails_the_check_and_is_named(tmp_path, server, capsys, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    output = run_linkcheck(tmp_path, server)
    assert linkcheck.main([str(output)]) == 1
    printed = capsys.readouterr().out
    assert f"{server}/missing.html" in printed and "404" in printed
    assert f"{server}/ok.html" not in printed
    assert "1 broken of 2 links checked" in printed
    table = summary.read_text()
    assert table.startswith("## Link check: 1 broken of 2 links checked") and f"| {server}/missing.html |" in table


def test_a_clean_check_passes(tmp_path):
    output = tmp_path / "output.json"
    output.write_text(json.dumps({"filename": "intro.md", "lineno": 3, "status": "working", "code": 0,
                                  "uri": "https://doi.org/10.1/x", "info": ""}) + "\n")
    assert linkcheck.main([str(output)]) == 0


def test_a_time_out_counts_as_broken():
    results = [{"filename": "a.md", "lineno": 1, "status": "timeout", "uri": "https://slow.example", "info": ""},
               {"filename": "a.md", "lineno": 2, "status": "redirected", "uri": "https://doi.org/x", "info": ""}]
    assert [r["uri"] for r in linkcheck.broken(results)] == ["https://slow.example"]
