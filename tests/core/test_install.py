"""make install: the tool lands where the system's valgrind finds its tools,
the scripts and the parser beside them, costprof.h beside callgrind.h, all
under DESTDIR when given."""
import os
import subprocess
import tempfile
import unittest

import cputil


class TestInstall(unittest.TestCase):

    def test_destdir_install(self):
        dest = tempfile.mkdtemp(prefix="cp-inst-")
        r = subprocess.run(["make", "-s", "-C", cputil.BUILDDIR, "install",
                            "DESTDIR=" + dest], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        found = {}
        for root, _dirs, files in os.walk(dest):
            for f in files:
                found[f] = os.path.join(root, f)
        self.assertIn("costprof-amd64-linux", found)
        tooldir = os.path.dirname(found["costprof-amd64-linux"])
        self.assertTrue(os.path.exists(os.path.join(
            "/" + os.path.relpath(tooldir, dest), "none-amd64-linux")),
            "the tool must go where the system's tools are: " + tooldir)
        for name in ("costprof_annotate", "costprof_flamegraph", "costprof_diff",
                     "cp_profile.py", "costprof.h"):
            self.assertIn(name, found)
        self.assertEqual(os.path.basename(os.path.dirname(found["costprof.h"])),
                         "valgrind")
        # the installed tool runs under the system's valgrind
        lib = tempfile.mkdtemp(prefix="cp-lib-")
        for f in os.listdir("/" + os.path.relpath(tooldir, dest)):
            os.symlink(os.path.join("/" + os.path.relpath(tooldir, dest), f),
                       os.path.join(lib, f))
        os.remove(os.path.join(lib, "costprof-amd64-linux")) \
            if os.path.lexists(os.path.join(lib, "costprof-amd64-linux")) else None
        os.symlink(found["costprof-amd64-linux"], os.path.join(lib, "costprof-amd64-linux"))
        out = os.path.join(lib, "p.out")
        r = subprocess.run(["valgrind", "--tool=costprof", "--costprof-out-file=" + out,
                            "/bin/true"], env=dict(os.environ, VALGRIND_LIB=lib),
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreater(cputil.read_profile(out)["summary"][0], 0)
        # the installed scripts find the installed parser
        env = dict(os.environ)
        script = found["costprof_annotate"]
        r = subprocess.run(["python3", script, "--help"], capture_output=True,
                           text=True, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
