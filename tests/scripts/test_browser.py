"""Browser test of the flame graph SVG (issue 7): headless Chromium loads
the SVG, runs its script and dumps the DOM.  Interaction goes through the
SVG's test hook, a URL fragment '#cp-test=click:fN&search:RE' that performs
those actions on load, so --dump-dom shows the zoomed / highlighted state.
Skipped only when no Chromium is installed (apt-get install chromium)."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET
from urllib.parse import quote

from cputil import run_script
from scripts.test_flamegraph import SVG, data

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") \
    or shutil.which("google-chrome")


def chromium(tmp, args, url):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run", "--hide-scrollbars",
           "--user-data-dir=" + os.path.join(tmp, "profile")] + args + [url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


@unittest.skipUnless(CHROMIUM, "chromium is not installed")
class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cpbrowser")
        cls.svg = os.path.join(cls.tmp, "paths.svg")
        r = run_script("costprof_flamegraph", [data("paths.out"), "-o",
                                               cls.svg, "--min-width=0"])
        assert r.returncode == 0, r.stderr
        root = ET.parse(cls.svg).getroot()
        # frame id by name, from the SVG itself
        cls.ids = {}
        for g in root.iter(SVG + "g"):
            if g.get("id", "").startswith("f") and g.find(SVG + "title") \
                    is not None:
                name = g.find(SVG + "title").text.split(" [")[0]
                cls.ids[name] = g.get("id")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def dom(self, fragment=""):
        url = "file://" + self.svg + fragment
        r = chromium(self.tmp, ["--dump-dom"], url)
        self.assertIn("<svg", r.stdout, r.stderr[-2000:])
        frames = {}
        for m in re.finditer(r'<g class="([^"]*)" id="(f\d+)"><title>([^<]*)'
                             r'</title><rect ([^>]*)>', r.stdout):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(4)))
            frames[m.group(2)] = (set(m.group(1).split()), attrs)
        return r.stdout, frames

    def test_frames_present(self):
        text, frames = self.dom()
        self.assertEqual(len(frames), 4)
        a = frames[self.ids["a"]][1]
        self.assertAlmostEqual(float(a["width"]), 1180 * 0.6, places=1)

    def test_click_zooms(self):
        a, b, c, main = (self.ids[n] for n in ("a", "b", "c", "main"))
        text, frames = self.dom("#cp-test=click:" + a)
        self.assertAlmostEqual(float(frames[a][1]["width"]), 1180, places=1)
        # b is 400 of a's 600
        self.assertAlmostEqual(float(frames[b][1]["width"]), 1180 * 400 / 600,
                               places=1)
        self.assertIn("hide", frames[c][0])
        self.assertIn("parent", frames[main][0])
        self.assertNotIn('class="off"', text.split('id="cpreset"')[0][-40:])

    def test_search_marks(self):
        frag = "#cp-test=search:" + quote("^[bc]$", safe="")
        text, frames = self.dom(frag)
        marked = sorted(f for f, (cls, _) in frames.items() if "match" in cls)
        self.assertEqual(marked, sorted([self.ids["b"], self.ids["c"]]))
        self.assertEqual(frames[self.ids["b"]][1]["fill"], "rgb(230,0,230)")
        self.assertIn("Matched: 70.00%", text)
        # then reset returns to the original colours
        text, frames = self.dom(frag + "&reset")
        self.assertFalse(any("match" in cls for cls, _ in frames.values()))

    def test_screenshot(self):
        png = os.path.join(self.tmp, "shot.png")
        chromium(self.tmp, ["--screenshot=" + png, "--window-size=1200,200"],
                 "file://" + self.svg)
        with open(png, "rb") as f:
            head = f.read(8)
        self.assertEqual(head, b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(png), 2000)


if __name__ == "__main__":
    unittest.main()
