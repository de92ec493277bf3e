"""malloc_settings.py: a training script restarts once with glibc's memory settings, keeps a user's own
GLIBC_TUNABLES, keeps its arguments and interpreter flags, and the settings reach its child processes.

  /usr/bin/python3 -m unittest test_malloc_settings     (from training/)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from malloc_settings import TUNABLES  # noqa: E402

# A script that restarts as train.py does, then reports what it sees, and what a child process sees.
SCRIPT = f"""
import json, os, subprocess, sys
sys.path.insert(0, {HERE!r})
if __name__ == '__main__':
    from malloc_settings import restart_with_malloc_settings
    restart_with_malloc_settings()
child = subprocess.run([sys.executable, '-c', 'import os; print(os.environ.get("GLIBC_TUNABLES"))'], capture_output=True, text=True).stdout.strip()
with open(sys.argv[1], 'a') as f:
    f.write(json.dumps(dict(tunables=os.environ.get('GLIBC_TUNABLES'), argv=sys.argv[2:], optimize=sys.flags.optimize, child=child)) + '\\n')
"""


class MallocSettings(unittest.TestCase):
    def run_script(self, env_extra, drop=('GLIBC_TUNABLES', 'WORLDSPLAT_MALLOC')):
        with tempfile.TemporaryDirectory() as d:
            script, out = os.path.join(d, 'script.py'), os.path.join(d, 'out.jsonl')
            with open(script, 'w') as f:
                f.write(SCRIPT)
            env = {k: v for k, v in os.environ.items() if k not in drop} | env_extra
            subprocess.run([sys.executable, '-O', script, out, '--minutes', '2', 'a b'], env=env, check=True)
            with open(out) as f:
                return [json.loads(line) for line in f]

    @unittest.skipUnless(sys.platform.startswith('linux'), 'glibc settings: Linux only')
    def test_restarts_once_with_the_settings(self):
        runs = self.run_script({})
        self.assertEqual(len(runs), 1)  # the first process was replaced, not run twice
        self.assertEqual(runs[0]['tunables'], TUNABLES)
        self.assertEqual(runs[0]['child'], TUNABLES)
        self.assertEqual(runs[0]['argv'], ['--minutes', '2', 'a b'])
        self.assertEqual(runs[0]['optimize'], 1)  # the interpreter's -O survived the restart

    def test_a_users_own_settings_win(self):
        runs = self.run_script({'GLIBC_TUNABLES': 'glibc.malloc.check=0'})
        self.assertEqual(runs[0]['tunables'], 'glibc.malloc.check=0')

    def test_can_be_turned_off(self):
        runs = self.run_script({'WORLDSPLAT_MALLOC': 'default'})
        self.assertIsNone(runs[0]['tunables'])


if __name__ == '__main__':
    unittest.main()
