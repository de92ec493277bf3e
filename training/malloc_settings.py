"""glibc's memory settings for a training process: restart it once with them set.

PyTorch on the CPU frees and allocates the same large activation and gradient buffers every step, and
glibc hands blocks above 128 KB back to the kernel on free, so each step faults all of them in again
(about 10 microseconds a 4 KB page on the 2-core development machine: 330k faults in twelve steps
of batch 16 at 128x128). With 2 MB pages where glibc maps memory (hugetlb=1) and blocks under 32 MB
kept for reuse (the thresholds), the same steps take 17k faults and 342-346 ms instead of 450-532 ms
(/usr/bin/python3, two threads, alternated twice). The settings only take effect when a process
starts, hence the restart; child processes (the scene generators train.py starts) inherit them.

A GLIBC_TUNABLES already set is left as it is (the user chose); WORLDSPLAT_MALLOC=default skips the
restart. Other platforms and C libraries ignore all of it.
"""
import os
import sys

TUNABLES = 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456'


def restart_with_malloc_settings():
    """Call first thing in a script's __main__ block: returns only where no restart is needed."""
    if not sys.platform.startswith('linux') or 'GLIBC_TUNABLES' in os.environ or os.environ.get('WORLDSPLAT_MALLOC') == 'default':
        return
    sys.stdout.flush()
    sys.stderr.flush()
    # orig_argv keeps the interpreter's own flags (-u, -X ...) as well as the script and its arguments.
    os.execve(sys.executable, sys.orig_argv, dict(os.environ, GLIBC_TUNABLES=TUNABLES))
